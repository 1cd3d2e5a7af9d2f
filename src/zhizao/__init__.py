"""zhizao (智造): run a region's manufacturing cluster system as software."""

__version__ = "0.1.0"

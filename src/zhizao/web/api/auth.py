"""Sign-in for API clients: OAuth2 password form -> bearer token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from .. import auth as A
from ..access import Principal
from ..deps import AUTH_RESPONSES, api_user, ctx, oauth2

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str
    region: str | None = None


class Me(BaseModel):
    name: str
    role: str
    region: str | None = None
    sees_enterprises: bool
    may_import: bool


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


@router.post(
    "/auth/token",
    response_model=Token,
    responses={401: {"description": "Wrong user name or password"}, 429: {"description": "Too many failed attempts"}},
)
def token(request: Request, form: OAuth2PasswordRequestForm = Depends()) -> Token:
    c = ctx(request)
    client = client_of(request)
    wait = c.limiter.retry_after(client, form.username)
    if wait:
        raise HTTPException(429, "too many failed sign-ins; try again later", headers={"Retry-After": str(wait)})
    p = c.users.authenticate(form.username, form.password)
    if p is None:
        c.limiter.failed(client, form.username)
        raise HTTPException(401, "wrong user name or password", headers={"WWW-Authenticate": "Bearer"})
    c.limiter.succeeded(client, form.username)
    return Token(
        access_token=c.users.token_for(p.name, api=True), expires_in=A.API_TOKEN_SECONDS, role=p.role, region=p.region
    )


@router.delete("/auth/token", status_code=204, responses=AUTH_RESPONSES)
def revoke(request: Request, p: Principal = Depends(api_user), token: str | None = Depends(oauth2)) -> Response:
    """Sign out: the bearer token sent (or the page session) is revoked on the server at once."""
    c = ctx(request)
    if token:
        c.users.sign_out(token, api=True)
    else:
        c.users.sign_out(request.cookies.get(A.SESSION_COOKIE), api=False)
    return Response(status_code=204)


@router.get("/me", response_model=Me, responses=AUTH_RESPONSES)
def me(request: Request, p: Principal = Depends(api_user)) -> Me:
    pol = ctx(request).policy
    return Me(
        name=p.name, role=p.role, region=p.region, sees_enterprises=pol.sees_firms(p), may_import=pol.may_import(p)
    )

"""The Zoho accounts server that mints ManageEngine MDM cloud's OAuth access tokens, and the credentials both share.

Sources: Zoho OAuth docs (POST {accounts}/oauth/v2/token?refresh_token&client_id&client_secret&grant_type=refresh_token,
reply access_token / expires_in 3600 / api_domain / token_type Bearer), NOTES.md (ManageEngine cloud and on-premises
authentication).
"""

from mdmsim.dialects.base import Dialect, Route, RouteTable, json_response, seed_digest


def credentials(state):
    """What the ManageEngine server and its Zoho accounts server accept (both flavours), derived from the run seed."""
    return {'api_key': state.secret('manageengine_api_key'), 'client_id': '1000.' + seed_digest(state.seed)[8:38].upper(),
            'client_secret': state.secret('manageengine_client_secret'),
            'refresh_token': state.secret('manageengine_refresh_token')}


def error_body(_request):
    """The 'error_body' fault: HTTP 200 with the error shape.  The reference documents no error body. UNVERIFIED: Zoho
    APIs answer {"error_code": ..., "error_description": ...}; the one shape to change here."""
    return json_response(200, {'error_code': 10001, 'error_description': 'Internal error'})


class ZohoAccounts(Dialect):
    """The Zoho accounts server: only the refresh-token grant."""

    name = 'zoho_accounts'
    routes = RouteTable(Route('POST', '/oauth/v2/token', 'grant'))
    has_fleet = False
    token_vendor = 'manageengine'
    token_ttl = 3600  # Zoho OAuth docs: "expires_in": 3600
    login_prefixes = ('/oauth/',)
    secret_fields = ('refresh_token', 'client_secret', 'access_token')
    strip_trailing_slash = False

    @classmethod
    def configure(cls, state):
        return credentials(state)

    def render(self, logical):
        return None

    def error_body(self, request):
        return error_body(request)

    def unmatched(self, request):
        return json_response(404, {'error': 'invalid_request'})

    def grant(self, request):
        params = {key: values[0] for key, values in request.form().items() if values}
        if params.get('grant_type') != 'refresh_token':
            # Unverified error token: Zoho's documented replies cover the refresh-token grant only.
            return json_response(200, {'error': 'unsupported_grant_type'})
        if params.get('client_id') != self.config['client_id'] or params.get('client_secret') != self.config['client_secret']:
            # Unverified: Zoho answers OAuth errors as HTTP 200 with {"error": "invalid_client"} (widely reported, not
            # found in the docs corpus we could search).
            return json_response(200, {'error': 'invalid_client'})
        if params.get('refresh_token') != self.config['refresh_token']:
            return json_response(200, {'error': 'invalid_code'})  # unverified, see above
        if not self.state.grant_allowed():
            # Zoho: "You can generate a maximum of 10 access tokens from a refresh token in a span of 10 minutes"; past
            # it the grant is refused for the rest of the window with HTTP 200 and "Access Denied" (Zoho CRM API docs,
            # "Token Validity"; Zoho community, "Kaizen #43 - Tokens and Limitations").  Off unless a test sets it.
            return json_response(200, {'error': 'Access Denied'})
        rng = self.state.token_rng
        token = '1000.%032x.%032x' % (rng.getrandbits(128), rng.getrandbits(128))
        self.state.issue_token(self.token_vendor, token)
        return json_response(200, {'access_token': token, 'api_domain': 'https://www.zohoapis.com', 'token_type': 'Bearer',
                                   'expires_in': self.state.token_ttl[self.token_vendor]})

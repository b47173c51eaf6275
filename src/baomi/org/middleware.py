class PersonMiddleware:
    """Puts the signed-in user's Person on the request (None for anonymous or unlinked users)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.person = None
        if user is not None and user.is_authenticated:
            request.person = getattr(user, "person", None)
        return self.get_response(request)

"""The public JSON API under /api/v1/ (django-ninja): a thin layer over the apps' selectors, services and
permissions. Nothing here decides who may see or do what; it shapes requests and responses."""

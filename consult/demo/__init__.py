"""The demo site: ``manage.py load_demo`` and its invented content. The top of the app layering."""

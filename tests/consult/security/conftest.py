# Each test writes its photos to its own temporary directory (not var/media), as the photos tests do.
from tests.consult.photos.conftest import photo_storage  # noqa: F401  (autouse fixture)

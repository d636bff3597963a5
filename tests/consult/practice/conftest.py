# Gallery photos and licence scans live in the private photo storage: each test gets its own directory.
from tests.consult.photos.conftest import photo_storage  # noqa: F401  (autouse fixture)

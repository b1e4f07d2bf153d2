from . import test_assistant_topic
from . import test_assistant_api
from . import test_assistant_tours

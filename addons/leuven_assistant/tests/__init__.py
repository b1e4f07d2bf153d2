from . import test_assistant_topic
from . import test_assistant_topic_package
from . import test_assistant_topic_export

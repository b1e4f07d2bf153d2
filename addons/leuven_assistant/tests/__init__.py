from . import test_assistant_topic

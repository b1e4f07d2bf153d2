from . import assistant_topic

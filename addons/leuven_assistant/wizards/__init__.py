from . import assistant_topic_import

from . import test_assistant_topic
from . import test_assistant_topic_package
from . import test_assistant_topic_export
from . import test_assistant_api
from . import test_assistant_tours
from . import test_assistant_privacy
from . import test_leak_assistant_session
from . import test_bad_input_assistant

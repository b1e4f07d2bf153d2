from . import assistant_topic
from . import assistant_topic_line
from . import assistant_question
from . import assistant_question_option
from . import assistant_outcome
from . import assistant_rule
from . import assistant_scenario

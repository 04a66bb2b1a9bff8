# --- pipewright _lib/kobench_kmmlu.py: KMMLU's 45 subjects and their categories, as lm-evaluation-harness groups them ---
import re

# Subject (the Hugging Face config name, lm_eval/tasks/kmmlu/default/kmmlu_<subject>.yaml `dataset_name`) -> category
# (the file's `tag`: kmmlu_stem_tasks, kmmlu_applied_science_tasks, kmmlu_humss_tasks, kmmlu_other_tasks).
KMMLU_CATEGORIES = {
    "STEM": (
        "Biology", "Chemical-Engineering", "Chemistry", "Civil-Engineering", "Computer-Science", "Ecology",
        "Electrical-Engineering", "Information-Technology", "Materials-Engineering", "Math", "Mechanical-Engineering",
    ),
    "Applied Science": (
        "Aviation-Engineering-and-Maintenance", "Electronics-Engineering", "Energy-Management", "Environmental-Science",
        "Gas-Technology-and-Engineering", "Geomatics", "Industrial-Engineer", "Machine-Design-and-Manufacturing",
        "Maritime-Engineering", "Nondestructive-Testing", "Railway-and-Automotive-Engineering",
        "Telecommunications-and-Wireless-Technology",
    ),
    "HUMSS": (
        "Accounting", "Criminal-Law", "Economics", "Education", "Korean-History", "Law", "Management",
        "Political-Science-and-Sociology", "Psychology", "Social-Welfare", "Taxation",
    ),
    "Other": (
        "Agricultural-Sciences", "Construction", "Fashion", "Food-Processing", "Health", "Interior-Architecture-and-Design",
        "Marketing", "Patent", "Public-Safety", "Real-Estate", "Refrigerating-Machinery",
    ),
}
KMMLU_SUBJECTS = sorted(s for subjects in KMMLU_CATEGORIES.values() for s in subjects)
SUBJECT_CATEGORY = {s: c for c, subjects in KMMLU_CATEGORIES.items() for s in subjects}


def _subject_key(text):
    return re.sub(r"[\s_-]+", " ", text).strip().casefold()


_BY_KEY = {_subject_key(s): s for s in KMMLU_SUBJECTS}


def kmmlu_subject(category_value):
    """The subject a KMMLU row's `Category` names ("Agricultural Sciences" -> "Agricultural-Sciences"), or None."""
    if not isinstance(category_value, str):
        return None
    return _BY_KEY.get(_subject_key(category_value))


def kmmlu_task_name(subject):
    """The harness's task name of a subject: kmmlu_agricultural_sciences."""
    return "kmmlu_" + subject.lower().replace("-", "_")

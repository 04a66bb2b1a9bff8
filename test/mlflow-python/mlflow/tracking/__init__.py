"""Stand-in `mlflow.tracking.MlflowClient` (tests only), with mlflow 2.x's method signatures."""
from mlflow import MlflowException, _record, _State


class MlflowClient:
    def __init__(self, tracking_uri=None, registry_uri=None):
        self.tracking_uri = tracking_uri or _State.tracking_uri

    def _version(self, name, version):
        if not 0 < int(version) <= len(_State.versions.get(name, [])):
            raise MlflowException("Model Version (name=%s, version=%s) not found" % (name, version), "RESOURCE_DOES_NOT_EXIST")

    def set_registered_model_alias(self, name, alias, version):
        _record("MlflowClient.set_registered_model_alias", name=name, alias=alias, version=version)
        self._version(name, version)

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions=False):
        _record("MlflowClient.transition_model_version_stage", name=name, version=version, stage=stage, archive_existing_versions=archive_existing_versions)
        self._version(name, version)
        if stage.lower() not in ("none", "staging", "production", "archived"):
            raise MlflowException("Invalid Model Version stage: %s." % stage, "INVALID_PARAMETER_VALUE")

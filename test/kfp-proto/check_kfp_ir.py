#!/usr/bin/env python3
"""Strict check of KFP v2 IR YAML against KFP's own protobuf messages.

Usage: KFP_PROTO_BINDINGS=DIR python3 check_kfp_ir.py FILE... ('-' reads stdin)

DIR holds Python bindings generated from KFP's .proto files (scripts/kfp-proto-setup.sh). Each YAML
document is parsed the way the KFP backend and driver do, with unknown fields rejected:
  - the pipeline as ml_pipelines.PipelineSpec, its deploymentSpec as PipelineDeploymentConfig;
  - the platform document as PlatformSpec, each Kubernetes executor config as KubernetesExecutorConfig.
Then the references inside are checked (components, executors, producer tasks, declared inputs and
outputs, placeholders, constant types), which the backend only finds at run time.
YAML is read with PyYAML (YAML 1.1, as the KFP SDK reads it). Exit status: 0 all good, 1 a problem, 2 usage.
"""
import os
import re
import sys

import yaml
from google.protobuf import json_format

BINDINGS = os.environ.get('KFP_PROTO_BINDINGS')
if not BINDINGS or not os.path.isfile(os.path.join(BINDINGS, 'pipeline_spec_pb2.py')):
    sys.stderr.write('error: set KFP_PROTO_BINDINGS to a folder made by scripts/kfp-proto-setup.sh\n')
    sys.exit(2)
sys.path.insert(0, BINDINGS)
import pipeline_spec_pb2 as pb  # noqa: E402
import kubernetes_executor_config_pb2 as k8s_pb  # noqa: E402

NAME_RE = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
PLACEHOLDER_RE = re.compile(r"\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\['([^']*)'\]")
CONSTANT_TYPES = {
    'NUMBER_INTEGER': lambda v: isinstance(v, int) and not isinstance(v, bool),
    'NUMBER_DOUBLE': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    'STRING': lambda v: isinstance(v, str),
    'BOOLEAN': lambda v: isinstance(v, bool),
    'LIST': lambda v: isinstance(v, list),
    'STRUCT': lambda v: isinstance(v, dict),
}


def strict(message_class, value, where):
    try:
        json_format.ParseDict(value, message_class(), ignore_unknown_fields=False)
    except json_format.ParseError as err:
        raise ValueError(f'{where}: not a valid {message_class.DESCRIPTOR.full_name}: {err}') from None


def check_placeholders(label, executor, component, problems):
    container = executor.get('container')
    if not container:
        return
    for text in (container.get('command') or []) + (container.get('args') or []):
        for direction, kind, name in PLACEHOLDER_RE.findall(text):
            side = component.get('inputDefinitions' if direction == 'inputs' else 'outputDefinitions') or {}
            if name not in (side.get(kind) or {}):
                problems.append(f'executor {label}: placeholder {direction}.{kind}[{name!r}] is not declared by its component')


def check_task(dag_name, name, task, components, dag, parent, problems):
    where = f'{dag_name} task {name}'
    comp = components.get(task.get('componentRef', {}).get('name'))
    if comp is None:
        problems.append(f'{where}: componentRef {task.get("componentRef")} is not in components')
        return
    if task.get('taskInfo', {}).get('name') is None:
        problems.append(f'{where}: taskInfo.name is missing')
    for dep in task.get('dependentTasks') or []:
        if dep not in dag['tasks']:
            problems.append(f'{where}: dependent task {dep} does not exist')
    inputs = task.get('inputs') or {}
    declared = comp.get('inputDefinitions') or {}
    for kind in ('parameters', 'artifacts'):
        given = inputs.get(kind) or {}
        wanted = declared.get(kind) or {}
        for key in given:
            if key not in wanted:
                problems.append(f'{where}: input {kind}[{key}] is not declared by its component')
        for key, spec in wanted.items():
            if key not in given and not spec.get('isOptional') and 'defaultValue' not in spec:
                problems.append(f'{where}: required input {kind}[{key}] is not given')
    for key, spec in (inputs.get('parameters') or {}).items():
        ptype = (declared.get('parameters') or {}).get(key, {}).get('parameterType')
        constant = spec.get('runtimeValue', {}).get('constant')
        if constant is not None and ptype in CONSTANT_TYPES and not CONSTANT_TYPES[ptype](constant):
            problems.append(f'{where}: constant for {key} is {type(constant).__name__}, not {ptype}')
        source = spec.get('componentInputParameter')
        if source is not None and source not in ((parent.get('inputDefinitions') or {}).get('parameters') or {}):
            problems.append(f'{where}: componentInputParameter {source} is not an input of {dag_name}')
    for key, spec in (inputs.get('artifacts') or {}).items():
        ref = spec.get('taskOutputArtifact')
        if ref is None:
            continue
        producer = dag['tasks'].get(ref.get('producerTask'))
        if producer is None:
            problems.append(f'{where}: artifact {key} comes from missing task {ref.get("producerTask")}')
            continue
        produced = components.get(producer.get('componentRef', {}).get('name'), {})
        if ref.get('outputArtifactKey') not in ((produced.get('outputDefinitions') or {}).get('artifacts') or {}):
            problems.append(f'{where}: artifact {key}: {ref.get("producerTask")} has no output {ref.get("outputArtifactKey")}')


def check_dag(dag_name, component, components, problems):
    dag = component['dag']
    for name, task in (dag.get('tasks') or {}).items():
        check_task(dag_name, name, task, components, dag, component, problems)
    for key, spec in ((dag.get('outputs') or {}).get('artifacts') or {}).items():
        for sel in spec.get('artifactSelectors') or []:
            if sel.get('producerSubtask') not in dag['tasks']:
                problems.append(f'{dag_name} output {key}: producer {sel.get("producerSubtask")} is not a task')


def check_pipeline(doc, where):
    strict(pb.PipelineSpec, doc, where)
    strict(pb.PipelineDeploymentConfig, doc.get('deploymentSpec') or {}, f'{where} deploymentSpec')
    problems = []
    if doc.get('schemaVersion') != '2.1.0':
        problems.append(f'schemaVersion is {doc.get("schemaVersion")!r}; KFP accepts only 2.1.0')
    name = (doc.get('pipelineInfo') or {}).get('name') or ''
    if not NAME_RE.match(name):
        problems.append(f'pipelineInfo.name {name!r} is not lowercase alphanumerics, "-" and "."')
    if 'root' not in doc:
        problems.append('root is missing')
    components = doc.get('components') or {}
    executors = (doc.get('deploymentSpec') or {}).get('executors') or {}
    for cname, comp in components.items():
        label = comp.get('executorLabel')
        if label is not None:
            if label not in executors:
                problems.append(f'component {cname}: executor {label} is not in deploymentSpec')
            else:
                check_placeholders(label, executors[label], comp, problems)
        elif 'dag' in comp:
            check_dag(cname, comp, components, problems)
    if 'dag' in doc.get('root', {}):
        check_dag('root', doc['root'], components, problems)
    if problems:
        raise ValueError(f'{where}: ' + '; '.join(problems))
    return executors


def check_platform(doc, where, executors):
    strict(pb.PlatformSpec, doc, where)
    count = 0
    for platform, spec in (doc.get('platforms') or {}).items():
        for label, config in ((spec.get('deploymentSpec') or {}).get('executors') or {}).items():
            if platform == 'kubernetes':
                strict(k8s_pb.KubernetesExecutorConfig, config, f'{where} {platform} executor {label}')
                count += 1
            if executors is not None and label not in executors:
                raise ValueError(f'{where}: platform executor {label} is not in the pipeline deploymentSpec')
    return count


def check_file(path):
    text = sys.stdin.read() if path == '-' else open(path, encoding='utf-8').read()
    executors = None
    summary = []
    for index, doc in enumerate(yaml.safe_load_all(text)):
        if doc is None:
            continue
        where = f'{path} document {index + 1}'
        if not isinstance(doc, dict):
            raise ValueError(f'{where}: not a mapping')
        if 'platforms' in doc:
            summary.append(f'PlatformSpec with {check_platform(doc, where, executors)} KubernetesExecutorConfig')
        else:
            executors = check_pipeline(doc, where)
            summary.append(f'PipelineSpec with {len(doc.get("components") or {})} components and {len(executors)} executors')
    if executors is None:
        raise ValueError(f'{path}: no pipeline document')
    return ', '.join(summary)


def main(paths):
    if not paths:
        sys.stderr.write(__doc__)
        return 2
    failed = False
    for path in paths:
        try:
            print(f'ok {path}: {check_file(path)}')
        except (ValueError, yaml.YAMLError) as err:
            failed = True
            print(f'error {err}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

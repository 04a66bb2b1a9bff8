#!/bin/sh
# Generates Python bindings for KFP's own .proto files, so test/kfp-proto/check_kfp_ir.py can parse
# compiled pipelines strictly, as the KFP backend and driver do. Nothing of KFP's is kept in this repository.
#
#   scripts/kfp-proto-setup.sh PROTO_DIR [OUT_DIR]
#     PROTO_DIR holds pipeline_spec.proto, kubernetes_executor_config.proto and google/rpc/status.proto
#     (in kubeflow/pipelines: api/v2alpha1/pipeline_spec.proto,
#     kubernetes_platform/proto/kubernetes_executor_config.proto, backend/api/v2beta1/google/rpc/status.proto).
#   scripts/kfp-proto-setup.sh --git GIT_DIR REF [OUT_DIR]
#     takes those three files from a kubeflow/pipelines clone at REF (a tag such as 2.3.0, or a commit).
#
# OUT_DIR defaults to /tmp/kfp-proto-bindings; then run the tests with KFP_PROTO_BINDINGS=OUT_DIR
# (several folders may be given, separated by ':').
# Needs protoc (Debian: protobuf-compiler; libprotobuf-dev ships google/protobuf/*.proto) and python3-protobuf.
set -eu

usage() {
  echo "usage: $0 PROTO_DIR [OUT_DIR] | $0 --git GIT_DIR REF [OUT_DIR]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = "--git" ]; then
  [ $# -ge 3 ] || usage
  git_dir=$2
  ref=$3
  out=${4:-/tmp/kfp-proto-bindings}
  proto_dir=$(mktemp -d /tmp/kfp-proto-src.XXXXXX)
  trap 'rm -rf "$proto_dir"' EXIT
  mkdir -p "$proto_dir/google/rpc"
  git --git-dir="$git_dir" show "$ref:api/v2alpha1/pipeline_spec.proto" >"$proto_dir/pipeline_spec.proto"
  git --git-dir="$git_dir" show "$ref:kubernetes_platform/proto/kubernetes_executor_config.proto" \
    >"$proto_dir/kubernetes_executor_config.proto"
  git --git-dir="$git_dir" show "$ref:backend/api/v2beta1/google/rpc/status.proto" >"$proto_dir/google/rpc/status.proto"
else
  proto_dir=$1
  out=${2:-/tmp/kfp-proto-bindings}
fi

for f in pipeline_spec.proto kubernetes_executor_config.proto google/rpc/status.proto; do
  if [ ! -f "$proto_dir/$f" ]; then
    echo "error: $proto_dir/$f is missing" >&2
    exit 1
  fi
done
command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }

# Debian's protoc finds google/protobuf/*.proto by itself; /usr/include is named for other installs.
include_std=""
[ -f /usr/include/google/protobuf/struct.proto ] && include_std="-I/usr/include"

mkdir -p "$out"
# shellcheck disable=SC2086
protoc -I"$proto_dir" $include_std --python_out="$out" \
  pipeline_spec.proto kubernetes_executor_config.proto google/rpc/status.proto
echo "$out"

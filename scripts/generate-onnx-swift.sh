#!/usr/bin/env bash
# Regenerates Sources/IntarsiaONNX/Generated/onnx.pb.swift from the ONNX schema. Not part of the
# build: the generated file is committed. Needs protoc (Debian protobuf-compiler) and builds
# protoc-gen-swift from the swift-protobuf package the project depends on.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc > /dev/null || { echo "protoc missing: apt-get install -y protobuf-compiler" >&2; exit 1; }
python3 -m venv .venv-onnx
.venv-onnx/bin/pip install -q "onnx==1.23.2"
proto_dir=$(.venv-onnx/bin/python -c "import onnx, os; print(os.path.dirname(onnx.__file__))")
work=$(mktemp -d)
git clone -q --branch 1.39.0 https://github.com/apple/swift-protobuf "$work/swift-protobuf"
(cd "$work/swift-protobuf" && swift build -c release --product protoc-gen-swift)
cp "$proto_dir/onnx.proto" "$work/onnx.proto"
(cd "$work" && protoc --plugin=protoc-gen-swift="$work/swift-protobuf/.build/release/protoc-gen-swift" \
  --swift_out="$OLDPWD/Sources/IntarsiaONNX/Generated" --swift_opt=Visibility=Public onnx.proto)
echo "regenerated Sources/IntarsiaONNX/Generated/onnx.pb.swift"

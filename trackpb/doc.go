// Package trackpb is trackcorr's wire schema: the protocol buffer messages that fusion
// services exchange (detections, scans, sensors, tracks, truth) and that recordings and
// tracker snapshots are made of. It holds the schema, trackcorr.proto (package
// trackcorr.v1), and the Go generated from it, nothing else.
//
// # Conventions
//
// Units are SI (metres, seconds, radians, metres per second), pixels for image boxes.
// Times are int64 nanoseconds. Covariances are row-major square matrices of doubles.
// The field comments in trackcorr.proto are the reference for each message.
//
// # Boundaries
//
// The core packages (kalman, spatial, correlate) never import this package: conversion
// to and from their types happens once per scan at the boundary, in package replay.
//
// # Regenerating
//
// The generated file trackcorr.pb.go is committed. After editing trackcorr.proto,
// regenerate it from the repository root with
//
//	protoc --go_out=. --go_opt=module=github.com/trackcorr/trackcorr trackpb/trackcorr.proto
//
// using protoc from Debian's protobuf-compiler package and protoc-gen-go installed with
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//
// (the google.golang.org/protobuf version in go.mod). CI regenerates the file when
// protoc is present and fails if the committed code differs.
package trackpb

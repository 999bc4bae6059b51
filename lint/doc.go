// Package lint runs the validator over files: it reads x-ms-examples, traffic
// payload files, HAR archives, test-proxy recordings, .http files, bare
// payloads and NDJSON streams into exchanges, validates each, maps every
// finding back to a line and column in the file the user has open, and writes
// reports (text, JSON, SARIF, JUnit, GitHub annotations).
package lint

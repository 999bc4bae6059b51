package lint

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

// Format names an input format: how a file is turned into exchanges.
type Format string

// The input formats.
const (
	// FormatExample is an x-ms-examples file: parameters and responses of one
	// operation.
	FormatExample Format = "example"
	// FormatTraffic is oav's traffic file: {"liveRequest", "liveResponse"}.
	FormatTraffic Format = "traffic"
	// FormatHAR is an HTTP Archive (HAR 1.2), read as a stream.
	FormatHAR Format = "har"
	// FormatRecording is an Azure SDK test-proxy recording ({"Entries": [...]}).
	FormatRecording Format = "recording"
	// FormatHTTP is a .http / .rest file of the VS Code REST Client or the
	// JetBrains HTTP Client (requests only).
	FormatHTTP Format = "http"
	// FormatPayload is a bare request or response body; its operation comes
	// from ReadOptions.Payload.
	FormatPayload Format = "payload"
	// FormatNDJSON is one traffic record or HAR entry per line, read as a
	// stream.
	FormatNDJSON Format = "ndjson"
)

// Formats returns every input format, in a stable order.
func Formats() []Format {
	return []Format{FormatExample, FormatTraffic, FormatHAR, FormatRecording, FormatHTTP, FormatPayload, FormatNDJSON}
}

// ParseFormat returns the format named name (case-insensitively).
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(string(f), name) {
			return f, nil
		}
	}
	names := make([]string, 0, 7)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown input format %q (want %s)", name, strings.Join(names, ", "))
}

// PayloadOptions names the operation and message a bare payload file is
// validated against (flags or the config's payload mappings).
type PayloadOptions struct {
	// OperationID and APIVersion select the operation with
	// spec.Registry.Operation; APIVersion may be empty when a single
	// api-version declares the operation. Example files without an
	// "operationId" (or without an "api-version" parameter) use them too.
	OperationID string
	APIVersion  string
	// Direction is "request" or "response". Empty means "request" when the
	// operation takes a request body and "response" otherwise.
	Direction string
	// Status is the response status; 0 means the operation's first 2xx.
	Status int
}

// ReadOptions configures Read.
type ReadOptions struct {
	// Registry resolves operations of example and payload files (and places
	// path parameters of routed calls); nil means the embedded contracts.
	Registry *spec.Registry
	// Name is the file's name or path. Example files use it as a last hint
	// when their parameters fit several operations ("DPSGet.json" -> GET).
	Name string
	// Payload names the operation of a bare payload file.
	Payload PayloadOptions
}

func (o *ReadOptions) registry() (*spec.Registry, error) {
	if o.Registry != nil {
		return o.Registry, nil
	}
	return spec.Embedded()
}

// InputError is a problem that stops reading the rest of a file: the file is
// empty, binary, not valid JSON, truncated or not of the expected shape.
// Exchanges emitted before the error stand.
type InputError struct {
	// Code is a validate.Code* input code: INVALID_INPUT, INVALID_JSON or
	// INPUT_ERROR (the file could not be read).
	Code    string
	Pos     Pos
	Message string
}

// Error returns "line:column: message".
func (e *InputError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Message)
}

// headSize is how much of a file is checked for binary content.
const headSize = 1024

// Read reads one input in the given format and calls emit for every
// exchange, in file order, with Index set (1-based) and positions in the
// file. It returns an *InputError when a problem stops the reading (the
// exchanges already emitted stand); problems confined to one exchange are
// attached to it as Problems instead. Read never calls the validator.
//
// Positions: offsets are byte offsets in the file; lines and columns are
// 1-based and columns count code points. A UTF-8 byte order mark is skipped:
// it counts in offsets but not in columns, so the first character after it
// is at line 1, column 1.
//
// HAR and NDJSON inputs (and recordings) are streamed: memory is bounded by
// the largest entry, not by the file.
func Read(format Format, r io.Reader, opts ReadOptions, emit func(*Exchange)) error {
	s := newByteStream(r)
	defer s.release()
	if err := s.checkHead(); err != nil {
		return err
	}
	e := &emitter{fn: emit}
	switch format {
	case FormatHAR:
		return readHAR(s, &opts, e)
	case FormatNDJSON:
		return readNDJSON(s, &opts, e)
	case FormatRecording:
		return readRecording(s, &opts, e)
	}
	base := s.pos
	data, err := s.readAll()
	if err != nil {
		return &InputError{Code: validate.CodeInputError, Pos: base, Message: "read error: " + err.Error()}
	}
	switch format {
	case FormatExample:
		return readExample(data, base, &opts, e)
	case FormatTraffic:
		return readTraffic(data, base, &opts, e)
	case FormatHTTP:
		return readHTTP(data, base, &opts, e)
	case FormatPayload:
		return readPayload(data, base, &opts, e)
	}
	return &InputError{Code: validate.CodeInputError, Pos: Pos{Line: 1, Column: 1}, Message: fmt.Sprintf("unknown input format %q", format)}
}

// emitter numbers exchanges as they are emitted.
type emitter struct {
	fn func(*Exchange)
	n  int
}

func (e *emitter) send(x *Exchange) {
	e.n++
	x.Index = e.n
	if e.fn != nil {
		e.fn(x)
	}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkHead rejects empty and binary input and skips a UTF-8 byte order
// mark.
func (s *byteStream) checkHead() error {
	head := s.fillAtLeast(headSize + len(utf8BOM))
	if err := s.readErr(); err != nil && len(head) == 0 {
		return &InputError{Code: validate.CodeInputError, Pos: s.pos, Message: "read error: " + err.Error()}
	}
	if len(head) == 0 {
		return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos, Message: "empty file"}
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos, Message: "the file is UTF-16 encoded; convert it to UTF-8"}
	}
	if bytes.HasPrefix(head, utf8BOM) {
		s.i += len(utf8BOM)
		s.pos = Pos{Offset: len(utf8BOM), Line: 1, Column: 1}
		head = head[len(utf8BOM):]
		if len(head) == 0 {
			return &InputError{Code: validate.CodeInvalidInput, Pos: Pos{Line: 1, Column: 1}, Message: "empty file"}
		}
	}
	full := len(head) >= headSize
	if len(head) > headSize {
		head = head[:headSize]
	}
	if off, why := binaryAt(head, full); off >= 0 {
		return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos.Advance(head[:off]), Message: "binary content (" + why + "); expected a UTF-8 text file"}
	}
	if !full && len(bytes.TrimSpace(head)) == 0 {
		return &InputError{Code: validate.CodeInvalidInput, Pos: Pos{Line: 1, Column: 1}, Message: "empty file (only whitespace)"}
	}
	return nil
}

// binaryAt returns the offset of the first NUL byte or invalid UTF-8 in
// head, or -1. When head is a cut of a longer file, a character split by the
// cut is not an error.
func binaryAt(head []byte, cut bool) (int, string) {
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return i, "a NUL byte"
	}
	for i := 0; i < len(head); {
		if head[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 {
			if cut && !utf8.FullRune(head[i:]) {
				return -1, ""
			}
			return i, "invalid UTF-8"
		}
		i += n
	}
	return -1, ""
}

// DetectFormat guesses the format of a file from its name and its first
// bytes (head; 64 KiB give a sure answer, fewer may do): .har -> har,
// .http/.rest -> http, .ndjson/.jsonl -> ndjson; otherwise by content:
// several JSON values on separate lines -> ndjson, an object with "log" ->
// har, "Entries" -> recording, "liveRequest"/"liveResponse" (or an array of
// such objects) -> traffic, "parameters" and "responses" -> example, other
// JSON -> payload; text whose first request line is "METHOD URL" -> http.
// Anything else is a payload (whose reader reports what is wrong with it).
func DetectFormat(name string, head []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".har":
		return FormatHAR
	case ".http", ".rest":
		return FormatHTTP
	case ".ndjson", ".jsonl":
		return FormatNDJSON
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	sn := sniffJSON(head)
	switch {
	case sn.multi:
		return FormatNDJSON
	case !sn.json:
		if looksLikeHTTPFile(head) {
			return FormatHTTP
		}
		return FormatPayload
	case sn.has("log"):
		return FormatHAR
	case sn.has("Entries"):
		return FormatRecording
	case sn.has("liveRequest") || sn.has("liveResponse") || sn.elemHas("liveRequest") || sn.elemHas("liveResponse"):
		return FormatTraffic
	case sn.has("parameters") && sn.has("responses"):
		return FormatExample
	}
	return FormatPayload
}

// sniffed is what a lenient scan of a file's head found.
type sniffed struct {
	json bool
	// keys are the top-level keys of an object; elemKeys those of the first
	// element of a top-level array.
	keys, elemKeys []string
	// multi is true when a second JSON value starts on a later line.
	multi bool
}

func (s *sniffed) has(k string) bool {
	for _, x := range s.keys {
		if x == k {
			return true
		}
	}
	return false
}

func (s *sniffed) elemHas(k string) bool {
	for _, x := range s.elemKeys {
		if x == k {
			return true
		}
	}
	return false
}

// sniffJSON scans the first JSON value of head leniently (head may end in
// the middle of it), collecting keys, and looks for a second value.
func sniffJSON(head []byte) sniffed {
	var sn sniffed
	i := 0
	for i < len(head) && isSpace(head[i]) {
		i++
	}
	if i >= len(head) || (head[i] != '{' && head[i] != '[') {
		return sn
	}
	sn.json = true
	var stack []byte
	expectKey := false
	firstElem := true
	for i < len(head) {
		c := head[i]
		switch c {
		case '"':
			j := i + 1
			for j < len(head) && head[j] != '"' {
				if head[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(head) {
				return sn
			}
			if expectKey {
				lit := head[i : j+1]
				key := string(decodeJSONString(lit, bytes.IndexByte(lit, '\\') >= 0))
				switch {
				case len(stack) == 1 && stack[0] == '{':
					sn.keys = append(sn.keys, key)
				case len(stack) == 2 && stack[0] == '[' && stack[1] == '{' && firstElem:
					sn.elemKeys = append(sn.elemKeys, key)
				}
			}
			expectKey = false
			i = j + 1
			continue
		case '{', '[':
			stack = append(stack, c)
			expectKey = c == '{'
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1] == '{'
			if len(stack) == 1 && stack[0] == '[' {
				firstElem = false
			}
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
			if len(stack) == 0 {
				sn.multi = secondValueFollows(head[i+1:])
				return sn
			}
		case ':':
			expectKey = false
		}
		i++
	}
	return sn
}

// secondValueFollows reports whether rest, after the first JSON value, holds
// a line break and then another JSON object or array.
func secondValueFollows(rest []byte) bool {
	nl := false
	for _, c := range rest {
		switch {
		case c == '\n':
			nl = true
		case c == ' ' || c == '\t' || c == '\r':
		case c == '{' || c == '[':
			return nl
		default:
			return false
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// looksLikeHTTPFile reports whether head reads like a .http file: its first
// line that is not blank, a comment or a variable is "METHOD URL" or "###".
func looksLikeHTTPFile(head []byte) bool {
	for len(head) > 0 {
		var line []byte
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			line, head = head, nil
		}
		t := strings.TrimSpace(string(line))
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, "###"):
			return true
		case strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//"):
			continue
		case strings.HasPrefix(t, "@") && strings.Contains(t, "="):
			continue
		}
		method, rest, ok := strings.Cut(t, " ")
		return ok && httpMethods[method] && strings.TrimSpace(rest) != ""
	}
	return false
}

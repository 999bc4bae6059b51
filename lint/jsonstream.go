package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/contractlint/contractlint/validate"
)

// This file holds the streaming side of the JSON readers: a chunked byte
// reader that knows the line and column of the next byte, and a walker that
// finds an array inside nested objects (a HAR's log.entries, a recording's
// Entries) and hands each element over as its own bytes, so that memory is
// bounded by the largest element rather than by the file.

// streamBufSize is the size of the read buffer of a byteStream.
const streamBufSize = 64 << 10

// byteStream reads a file in chunks and tracks the position of the next
// unread byte.
type byteStream struct {
	r    io.Reader
	buf  []byte
	i, n int // buf[i:n] is unread
	pos  Pos // position of buf[i]
	err  error
}

// streamBufs recycles read buffers: a lint run opens thousands of small
// files, and a fresh 64 KiB buffer each is most of the cost of reading them.
var streamBufs = sync.Pool{New: func() any { b := make([]byte, streamBufSize); return &b }}

func newByteStream(r io.Reader) *byteStream {
	return &byteStream{r: r, buf: *streamBufs.Get().(*[]byte), pos: Pos{Line: 1, Column: 1}}
}

// release returns the read buffer to the pool; the stream must not be used
// afterwards.
func (s *byteStream) release() {
	if cap(s.buf) == streamBufSize {
		b := s.buf[:streamBufSize]
		streamBufs.Put(&b)
	}
	s.buf = nil
}

// fill makes at least one unread byte available; it returns false at the end
// of the input or on a read error (kept in s.err).
func (s *byteStream) fill() bool {
	if s.i < s.n {
		return true
	}
	s.i, s.n = 0, 0
	for empty := 0; s.err == nil; empty++ {
		n, err := s.r.Read(s.buf)
		s.n = n
		if err != nil {
			s.err = err
		}
		if n > 0 {
			return true
		}
		if empty > 100 {
			s.err = io.ErrNoProgress
		}
	}
	return false
}

// fillAtLeast tries to have k unread bytes buffered (fewer at the end of the
// input), moving the unread bytes to the front of the buffer.
func (s *byteStream) fillAtLeast(k int) []byte {
	if k > len(s.buf) {
		k = len(s.buf)
	}
	if s.n-s.i >= k {
		return s.buf[s.i:s.n]
	}
	copy(s.buf, s.buf[s.i:s.n])
	s.n -= s.i
	s.i = 0
	for empty := 0; s.n < k && s.err == nil; empty++ {
		n, err := s.r.Read(s.buf[s.n:])
		s.n += n
		if err != nil {
			s.err = err
		}
		if n == 0 && empty > 100 {
			s.err = io.ErrNoProgress
		}
	}
	return s.buf[s.i:s.n]
}

// readErr returns the read error that ended the input, nil for a clean end.
func (s *byteStream) readErr() error {
	if s.err == nil || errors.Is(s.err, io.EOF) {
		return nil
	}
	return s.err
}

// consume moves past k buffered bytes.
func (s *byteStream) consume(k int) {
	s.pos = advanceChunk(s.pos, s.buf[s.i:s.i+k])
	s.i += k
}

// advanceChunk is Pos.Advance for valid UTF-8, computed with fast counting
// and without decoding: columns count the bytes that start a code point, so
// a chunk may end in the middle of a character.
func advanceChunk(p Pos, b []byte) Pos {
	p.Offset += len(b)
	if last := bytes.LastIndexByte(b, '\n'); last >= 0 {
		p.Line += bytes.Count(b[:last+1], []byte{'\n'})
		p.Column = 1
		b = b[last+1:]
	}
	for _, c := range b {
		if c&0xC0 != 0x80 {
			p.Column++
		}
	}
	return p
}

// peek returns the next byte without consuming it.
func (s *byteStream) peek() (byte, bool) {
	if !s.fill() {
		return 0, false
	}
	return s.buf[s.i], true
}

// skipSpace consumes JSON whitespace; it returns false at the end of input.
func (s *byteStream) skipSpace() bool {
	for s.fill() {
		b := s.buf[s.i:s.n]
		j := 0
		for j < len(b) && (b[j] == ' ' || b[j] == '\n' || b[j] == '\t' || b[j] == '\r') {
			j++
		}
		s.consume(j)
		if j < len(b) {
			return true
		}
	}
	return false
}

// readAll returns the rest of the input.
func (s *byteStream) readAll() ([]byte, error) {
	data := append([]byte(nil), s.buf[s.i:s.n]...)
	s.i = s.n
	if s.err == nil {
		rest, err := io.ReadAll(s.r)
		data = append(data, rest...)
		s.err = err
		if err == nil {
			s.err = io.EOF
		}
	}
	return data, s.readErr()
}

// readLine appends the next line (without its '\n') to dst; ok is false at
// the end of the input.
func (s *byteStream) readLine(dst []byte) (line []byte, ok bool) {
	if !s.fill() {
		return dst, false
	}
	for s.fill() {
		b := s.buf[s.i:s.n]
		if j := bytes.IndexByte(b, '\n'); j >= 0 {
			dst = append(dst, b[:j]...)
			s.consume(j + 1)
			return dst, true
		}
		dst = append(dst, b...)
		s.consume(len(b))
	}
	return dst, true
}

func (s *byteStream) syntaxErr(msg string) *InputError {
	return &InputError{Code: validate.CodeInvalidJSON, Pos: s.pos, Message: msg}
}

// endErr explains why the input ended: a read error or a truncated file.
func (s *byteStream) endErr(where string) *InputError {
	if err := s.readErr(); err != nil {
		return &InputError{Code: validate.CodeInputError, Pos: s.pos, Message: "read error: " + err.Error()}
	}
	return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos, Message: "truncated file: unexpected end of input " + where}
}

// capture appends the next JSON value (whitespace already skipped) to dst,
// finding its end by matching brackets outside strings. It checks no more
// than it needs to find the end; the caller parses the bytes.
func (s *byteStream) capture(dst []byte) ([]byte, error) {
	depth := 0
	inStr, esc := false, false
	first := true
	scalar := false
	for {
		if !s.fill() {
			if scalar && !inStr {
				return dst, nil // a number or literal ends the input
			}
			return dst, s.endErr("in a JSON value")
		}
		b := s.buf[s.i:s.n]
		j := 0
		done := false
		// Inside strings, jump to the next quote or backslash; their
		// positions in b are cached (-1: none left, -2: not looked for) so
		// that the chunk is scanned once whatever the escapes.
		qpos, bpos := -2, -2
	scan:
		for j < len(b) {
			if inStr {
				if esc {
					esc = false
					j++
					continue
				}
				if qpos != -1 && qpos < j {
					qpos = indexFrom(b, j, '"')
				}
				if bpos != -1 && bpos < j {
					bpos = indexFrom(b, j, '\\')
				}
				switch {
				case bpos >= 0 && (qpos < 0 || bpos < qpos):
					j = bpos + 1
					esc = true
				case qpos >= 0:
					j = qpos + 1
					inStr = false
					if depth == 0 {
						done = true
						break scan
					}
				default:
					j = len(b)
				}
				continue
			}
			c := b[j]
			if scalar {
				switch c {
				case ' ', '\t', '\n', '\r', ',', ']', '}', ':', '[', '{', '"':
					done = true
					break scan
				}
				j++
				continue
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth <= 0 {
					j++
					done = true
					break scan
				}
			default:
				if first {
					scalar = true
				}
			}
			first = false
			j++
		}
		dst = append(dst, b[:j]...)
		s.consume(j)
		if done {
			return dst, nil
		}
	}
}

// indexFrom returns the index of the first c in b at or after from, or -1.
func indexFrom(b []byte, from int, c byte) int {
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return -1
}

// key reads an object key (a string literal) and the colon after it.
func (s *byteStream) key(scratch []byte) (string, error) {
	c, ok := s.peek()
	if !ok {
		return "", s.endErr("in an object")
	}
	if c != '"' {
		return "", s.syntaxErr("expected a string key, found " + describeByte([]byte{c}, 0))
	}
	start := s.pos
	lit, err := s.capture(scratch[:0])
	if err != nil {
		return "", err
	}
	d, perr := parseJSON(lit, start, 0)
	if perr != nil {
		return "", docSyntaxError(lit, start, perr)
	}
	k := d.str(d.Root)
	if !s.skipSpace() {
		return "", s.endErr("after an object key")
	}
	if c, _ := s.peek(); c != ':' {
		return "", s.syntaxErr("expected ':' after object key, found " + describeByte([]byte{c}, 0))
	}
	s.consume(1)
	if !s.skipSpace() {
		return "", s.endErr("after an object key")
	}
	return k, nil
}

// docSyntaxError turns a parse error in data (which starts at base) into an
// InputError at the file position of the error.
func docSyntaxError(data []byte, base Pos, err error) *InputError {
	var se *jsonSyntaxError
	if !errors.As(err, &se) {
		return &InputError{Code: validate.CodeInvalidJSON, Pos: base, Message: err.Error()}
	}
	pos := posFromLines(data, lineStarts(data), base, se.Offset)
	if se.EOF {
		return &InputError{Code: validate.CodeInvalidInput, Pos: pos, Message: "truncated file: " + se.Msg}
	}
	return &InputError{Code: validate.CodeInvalidJSON, Pos: pos, Message: "invalid JSON: " + se.Msg}
}

// arrayWalker streams the elements of the array found at a chain of object
// keys from the root.
type arrayWalker struct {
	s *byteStream
	// path lists the keys leading to the array, for example "log",
	// "entries"; match compares a key with the one wanted.
	path    []string
	match   func(key, want string) bool
	each    func(raw []byte, start Pos) error
	scratch []byte
	found   bool
}

// walk reads the whole input: the root object, the array (calling each for
// every element) and everything around it, which is checked for syntax.
// Elements emitted before an error stand.
func (w *arrayWalker) walk(what string) error {
	s := w.s
	if !s.skipSpace() {
		if err := s.readErr(); err != nil {
			return s.endErr("")
		}
		return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos, Message: "empty file"}
	}
	c, _ := s.peek()
	if c != '{' {
		if c == '[' || c == '"' || c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n' {
			return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos, Message: "not " + what + ": the top-level JSON value is not an object"}
		}
		return s.syntaxErr("invalid JSON: expected a JSON value, found " + describeByte([]byte{c}, 0))
	}
	if err := w.object(w.path); err != nil {
		return err
	}
	if s.skipSpace() {
		c, _ := s.peek()
		return s.syntaxErr("invalid JSON: unexpected " + describeByte([]byte{c}, 0) + " after the JSON value")
	}
	if err := s.readErr(); err != nil {
		return s.endErr("")
	}
	if !w.found {
		return &InputError{Code: validate.CodeInvalidInput, Pos: Pos{Offset: 0, Line: 1, Column: 1}, Message: "not " + what + ": no " + pathName(w.path) + " array"}
	}
	return nil
}

func pathName(path []string) string {
	out := ""
	for i, p := range path {
		if i > 0 {
			out += "."
		}
		out += p
	}
	return strconv.Quote(out)
}

// object reads the object at the current byte; path is what remains to be
// found inside it (nil once the array was found or on a side branch).
func (w *arrayWalker) object(path []string) error {
	s := w.s
	s.consume(1) // {
	if !s.skipSpace() {
		return s.endErr("in an object")
	}
	if c, _ := s.peek(); c == '}' {
		s.consume(1)
		return nil
	}
	for {
		k, err := w.s.key(w.scratch)
		if err != nil {
			return err
		}
		if len(path) > 0 && !w.found && w.match(k, path[0]) {
			c, _ := s.peek()
			want, kind := byte('{'), "an object"
			if len(path) == 1 {
				want, kind = '[', "an array"
			}
			if c != want {
				return &InputError{Code: validate.CodeInvalidInput, Pos: s.pos, Message: fmt.Sprintf("%q is not %s", k, kind)}
			}
			if len(path) == 1 {
				w.found = true
				err = w.array()
			} else {
				err = w.object(path[1:])
			}
		} else {
			err = w.skip()
		}
		if err != nil {
			return err
		}
		if !s.skipSpace() {
			return s.endErr("in an object")
		}
		switch c, _ := s.peek(); c {
		case ',':
			s.consume(1)
			if !s.skipSpace() {
				return s.endErr("in an object")
			}
		case '}':
			s.consume(1)
			return nil
		default:
			return s.syntaxErr("invalid JSON: expected ',' or '}' in an object, found " + describeByte([]byte{c}, 0))
		}
	}
}

// skip reads and checks a value nobody needs.
func (w *arrayWalker) skip() error {
	start := w.s.pos
	raw, err := w.s.capture(w.scratch[:0])
	w.scratch = raw[:0]
	if err != nil {
		return err
	}
	if _, perr := parseJSON(raw, start, 0); perr != nil {
		return docSyntaxError(raw, start, perr)
	}
	return nil
}

// array reads the target array, handing each element to w.each.
func (w *arrayWalker) array() error {
	s := w.s
	s.consume(1) // [
	if !s.skipSpace() {
		return s.endErr("in an array")
	}
	if c, _ := s.peek(); c == ']' {
		s.consume(1)
		return nil
	}
	for {
		start := s.pos
		raw, err := s.capture(w.scratch[:0])
		w.scratch = raw[:0]
		if err != nil {
			return err
		}
		if err := w.each(raw, start); err != nil {
			return err
		}
		if !s.skipSpace() {
			return s.endErr("in an array")
		}
		switch c, _ := s.peek(); c {
		case ',':
			s.consume(1)
			if !s.skipSpace() {
				return s.endErr("in an array")
			}
		case ']':
			s.consume(1)
			return nil
		default:
			return s.syntaxErr("invalid JSON: expected ',' or ']' in an array, found " + describeByte([]byte{c}, 0))
		}
	}
}

package validate

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// scanner validates one JSON body against a compiled schema in a single pass
// over the bytes: it never builds a generic tree. It records every finding
// with the RFC 6901 pointer and the byte offset of the offending value.
type scanner struct {
	data []byte
	pos  int
	dir  Direction
	em   *emitter

	path      []pathSeg // pointer of the value being checked
	depth     int
	deep      bool // MAX_DEPTH_EXCEEDED already reported
	synErr    bool // a syntax error stopped the scan
	scratch   []byte
	keys      []keyRef // unknown keys of open objects, for duplicate detection
	escaped   bool     // the last string read had escapes
	skipStack []byte

	rootHasID bool // the root value is an object with an "id" key
}

type pathSeg struct {
	key   []byte // nil for an array index
	index int
}

type keyRef struct{ start, end int }

// syntaxError is raised (by panic) to abandon a body at its first syntax
// error; it never escapes the scanner.
type syntaxError struct{}

func (s *scanner) reset(data []byte, dir Direction, em *emitter) {
	s.data, s.pos, s.dir, s.em = data, 0, dir, em
	s.path = s.path[:0]
	s.depth, s.deep, s.synErr, s.rootHasID = 0, false, false, false
	s.keys = s.keys[:0]
}

// run validates the whole body against n; it reports INVALID_JSON (and drops
// the body's other findings) when the body is not a single JSON value.
func (s *scanner) run(n *node) {
	mark := len(s.em.findings)
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(syntaxError); !ok {
					panic(r)
				}
			}
		}()
		s.ws()
		if s.pos >= len(s.data) {
			s.fail("the body is empty or only white space")
		}
		s.value(n, true) // the body itself takes null only where its schema is nullable
		s.ws()
		if s.pos < len(s.data) {
			s.fail("unexpected data after the top-level value")
		}
	}()
	if s.synErr {
		// Keep only the syntax error: findings of a half-read body mislead.
		last := s.em.findings[len(s.em.findings)-1]
		s.em.findings = append(s.em.findings[:mark], last)
	}
}

func (s *scanner) fail(msg string) {
	s.synErr = true
	s.em.add(Finding{Code: CodeInvalidJSON, Direction: s.dir, Part: PartBody, Pointer: s.pointer(),
		Offset: s.pos, Message: msg + " at byte offset " + strconv.Itoa(s.pos)})
	panic(syntaxError{})
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if c > ' ' {
			return
		}
		if c == ' ' && s.pos+8 <= len(s.data) {
			// Indentation: skip the run of spaces up to eight at a time.
			if n := bits.TrailingZeros64(binary.LittleEndian.Uint64(s.data[s.pos:])^0x2020202020202020) / 8; n > 1 {
				s.pos += n
				continue
			}
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value checks the value at s.pos against n (nil accepts anything).
// required says whether the value is a required property, which decides
// whether null is accepted when the schema says nothing.
func (s *scanner) value(n *node, required bool) {
	if s.pos >= len(s.data) {
		s.fail("unexpected end of JSON")
	}
	start := s.pos
	c := s.data[s.pos]
	switch {
	case c == '{':
		if n != nil && n.types != 0 && n.types&tObject == 0 {
			s.typeMismatch(n, "object", start)
			s.skip()
			return
		}
		s.object(n, start)
	case c == '[':
		if n != nil && n.types != 0 && n.types&tArray == 0 {
			s.typeMismatch(n, "array", start)
			s.skip()
			return
		}
		s.array(n, start)
	case c == '"':
		str, raw := s.str()
		if n == nil {
			return
		}
		if n.types != 0 && n.types&tString == 0 {
			s.typeMismatch(n, "string", start)
			return
		}
		s.checkString(n, str, raw, start)
	case c == '-' || (c >= '0' && c <= '9'):
		num, isInt := s.number()
		if n == nil {
			return
		}
		if n.types != 0 {
			if n.types&(tInteger|tNumber) == 0 {
				s.typeMismatch(n, "number", start)
				return
			}
			if n.types&tNumber == 0 && !isInt && !integralText(num) {
				s.typeMismatch(n, "number", start)
				return
			}
		}
		s.checkNumber(n, num, start)
	case c == 't':
		s.literal("true")
		if n != nil && n.types != 0 && n.types&tBoolean == 0 {
			s.typeMismatch(n, "boolean", start)
		}
		s.checkEnumRaw(n, "true", start)
	case c == 'f':
		s.literal("false")
		if n != nil && n.types != 0 && n.types&tBoolean == 0 {
			s.typeMismatch(n, "boolean", start)
		}
		s.checkEnumRaw(n, "false", start)
	case c == 'n':
		s.literal("null")
		if n != nil && !nullOK(n, required) {
			s.typeMismatch(n, "null", start)
		}
	default:
		s.fail("invalid character " + strconv.QuoteRune(rune(c)) + " looking for a value")
	}
}

// nullOK applies the ARM rule: optional properties accept null unless
// x-nullable is false; required ones only when x-nullable is true.
func nullOK(n *node, required bool) bool {
	switch n.nullable {
	case nullTrue:
		return true
	case nullFalse:
		return false
	}
	return !required
}

func (s *scanner) literal(lit string) {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		s.fail("invalid literal, expected " + lit)
	}
	s.pos += len(lit)
}

func (s *scanner) enter() bool {
	s.depth++
	if s.depth > s.em.v.cfg.maxDepth {
		if !s.deep {
			s.deep = true
			s.em.add(Finding{Code: CodeMaxDepth, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: s.pos,
				Message: "the body nests arrays and objects deeper than " + strconv.Itoa(s.em.v.cfg.maxDepth) + " levels; the deeper content is checked for syntax only"})
		}
		return false
	}
	return true
}

func (s *scanner) object(n *node, start int) {
	if !s.enter() {
		s.skip()
		s.depth--
		return
	}
	s.pos++ // {
	var seen uint64
	var seenBig []bool
	if n != nil && len(n.props) > 64 {
		seenBig = make([]bool, len(n.props))
	}
	keysMark := len(s.keys)
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
	} else {
		for {
			s.ws()
			if s.pos >= len(s.data) || s.data[s.pos] != '"' {
				s.fail("expected a string key")
			}
			keyStart := s.pos
			key, _ := s.str()
			keyEnd := s.pos
			if s.depth == 1 && string(key) == "id" {
				s.rootHasID = true
			}
			s.ws()
			if s.pos >= len(s.data) || s.data[s.pos] != ':' {
				s.fail("expected ':' after an object key")
			}
			s.pos++
			s.ws()
			idx := -1
			if n != nil {
				idx = n.lookup(key)
			}
			stableKey := key
			if s.escaped {
				stableKey = append([]byte(nil), key...) // decoded into scratch: keep a copy for the pointer
			}
			s.path = append(s.path, pathSeg{key: stableKey})
			dup := false
			if idx >= 0 {
				if idx < 64 {
					dup = seen&(1<<uint(idx)) != 0
					seen |= 1 << uint(idx)
				} else {
					dup = seenBig[idx]
					seenBig[idx] = true
				}
			} else {
				dup = s.seenKey(keysMark, keyStart, keyEnd, key)
				s.keys = append(s.keys, keyRef{keyStart, keyEnd})
			}
			if dup {
				s.em.add(Finding{Code: CodeDuplicateKey, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: keyStart,
					Name: string(key), Message: "key " + strconv.Quote(string(key)) + " appears more than once in the object"})
			}
			switch {
			case n == nil:
				s.value(nil, false)
			case idx >= 0:
				s.property(n, idx, keyStart)
			case n.addl != nil:
				if credentialName(bstr(key)) {
					s.em.secretDepth++
					s.value(n.addl, false)
					s.em.secretDepth--
				} else {
					s.value(n.addl, false)
				}
			case n.closed:
				s.em.add(Finding{Code: CodeAdditionalProperties, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: keyStart,
					Name: string(key), SpecRef: n.ref, Message: "property " + strconv.Quote(string(key)) + " is not declared by the schema" + s.em.suggestProperty(n, key)})
				s.value(nil, false)
			default:
				s.value(nil, false)
			}
			s.path = s.path[:len(s.path)-1]
			s.ws()
			if s.pos >= len(s.data) {
				s.fail("unexpected end of JSON inside an object")
			}
			if s.data[s.pos] == ',' {
				s.pos++
				continue
			}
			if s.data[s.pos] == '}' {
				s.pos++
				break
			}
			s.fail("expected ',' or '}' after an object value")
		}
	}
	s.keys = s.keys[:keysMark]
	s.depth--
	if n == nil {
		return
	}
	for _, i := range n.required {
		var have bool
		if i < 64 {
			have = seen&(1<<uint(i)) != 0
		} else {
			have = seenBig[i]
		}
		if !have {
			p := &n.props[i]
			if s.dir == InResponse && p.node != nil && p.node.writeOnly {
				continue
			}
			if s.dir == InRequest && p.node != nil && p.node.readOnly {
				continue // the service fills it in
			}
			s.em.add(Finding{Code: CodeMissingRequiredProperty, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: start,
				Name: p.name, SpecRef: n.ref + "/required", Message: "required property " + strconv.Quote(p.name) + " is missing"})
		}
	}
}

// property checks the value of declared property idx of n.
func (s *scanner) property(n *node, idx, keyStart int) {
	p := &n.props[idx]
	c := p.node
	if c != nil {
		switch {
		case s.dir == InRequest && c.readOnly:
			s.em.add(Finding{Code: CodeReadOnlyInRequest, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: keyStart,
				Name: p.name, SpecRef: p.ref, Message: "property " + strconv.Quote(p.name) + " is read-only and must not be sent in a request"})
			s.value(nil, false)
			return
		case s.dir == InResponse && c.secret: // declared secret (a credential-like name alone only redacts)
			s.em.add(Finding{Code: CodeSecretProperty, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: keyStart,
				Name: p.name, SpecRef: p.ref, Message: "property " + strconv.Quote(p.name) + " is a secret (x-ms-secret) and must not be returned; its value is not shown"})
			s.value(nil, false)
			return
		case s.dir == InResponse && c.writeOnly:
			s.em.add(Finding{Code: CodeWriteOnlyInResponse, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: keyStart,
				Name: p.name, SpecRef: p.ref, Message: "property " + strconv.Quote(p.name) + " is write-only and must not be returned in a response"})
			s.value(nil, false)
			return
		}
	}
	if p.secret || (c != nil && c.secret) {
		s.em.secretDepth++
		s.value(c, p.required)
		s.em.secretDepth--
		return
	}
	s.value(c, p.required)
}

func (s *scanner) seenKey(mark, start, end int, key []byte) bool {
	for _, k := range s.keys[mark:] {
		if k.end-k.start == end-start && bytes.Equal(s.data[k.start:k.end], s.data[start:end]) {
			return true
		}
	}
	// Escaped spellings of the same key are rare; compare decoded forms only
	// when this key contains an escape.
	if bytes.IndexByte(s.data[start:end], '\\') >= 0 {
		for _, k := range s.keys[mark:] {
			other := unquote(s.data[k.start:k.end])
			if bytes.Equal(other, key) {
				return true
			}
		}
	}
	return false
}

func (s *scanner) array(n *node, start int) {
	if !s.enter() {
		s.skip()
		s.depth--
		return
	}
	s.pos++ // [
	var items *node
	if n != nil {
		items = n.items
	}
	count := 0
	s.ws()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
	} else {
		for {
			s.ws()
			s.path = append(s.path, pathSeg{index: count})
			s.value(items, true)
			s.path = s.path[:len(s.path)-1]
			count++
			s.ws()
			if s.pos >= len(s.data) {
				s.fail("unexpected end of JSON inside an array")
			}
			if s.data[s.pos] == ',' {
				s.pos++
				continue
			}
			if s.data[s.pos] == ']' {
				s.pos++
				break
			}
			s.fail("expected ',' or ']' after an array element")
		}
	}
	s.depth--
	if n == nil {
		return
	}
	if n.minItems >= 0 && count < n.minItems {
		s.em.add(Finding{Code: CodeMinItems, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: start, SpecRef: n.ref,
			Message: "array has " + strconv.Itoa(count) + " items, fewer than the minimum of " + strconv.Itoa(n.minItems)})
	}
	if n.maxItems >= 0 && count > n.maxItems {
		s.em.add(Finding{Code: CodeMaxItems, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: start, SpecRef: n.ref,
			Message: "array has " + strconv.Itoa(count) + " items, more than the maximum of " + strconv.Itoa(n.maxItems)})
	}
}

// str reads a string literal at s.pos and returns its decoded bytes (a slice
// of the input when it has no escapes, of the scratch buffer otherwise) and
// its raw bytes without quotes.
func (s *scanner) str() (decoded, raw []byte) {
	s.pos++ // opening quote
	start := s.pos
	escaped, ascii := false, true
	for {
		// Skip eight plain bytes at a time: no quote, backslash, control
		// character or non-ASCII byte among them.
		p := s.pos
		for p+8 <= len(s.data) && plain8(binary.LittleEndian.Uint64(s.data[p:])) {
			p += 8
		}
		s.pos = p
		if s.pos >= len(s.data) {
			s.fail("unexpected end of JSON inside a string")
		}
		c := s.data[s.pos]
		switch {
		case c == '"':
			raw = s.data[start:s.pos]
			s.pos++
			s.escaped = escaped
			if !escaped {
				if !ascii && !utf8.Valid(raw) {
					s.pos = start
					s.fail("invalid UTF-8 in a string")
				}
				return raw, raw
			}
			s.scratch = appendUnquoted(s.scratch[:0], raw)
			if !utf8.Valid(s.scratch) {
				s.pos = start
				s.fail("invalid UTF-8 in a string")
			}
			return s.scratch, raw
		case c == '\\':
			escaped = true
			if s.pos+1 >= len(s.data) {
				s.fail("unexpected end of JSON inside a string")
			}
			switch s.data[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if s.pos+6 > len(s.data) || hexVal(s.data[s.pos+2:s.pos+6]) < 0 {
					s.fail("invalid \\u escape in a string")
				}
				s.pos += 6
			default:
				s.fail("invalid escape in a string")
			}
		case c < 0x20:
			s.fail("control character in a string")
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			s.pos++
		}
	}
}

// plain8 reports whether none of the eight bytes packed in x is a quote, a
// backslash, a control character or a non-ASCII byte (SWAR: the lowest such
// byte always ends up with its high bit set; a borrow may flag more, which
// only sends the caller to its byte-by-byte path).
func plain8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := x ^ (lo * '"')
	b := x ^ (lo * '\\')
	return ((q-lo)&^q|(b-lo)&^b|(x-lo*0x20)|x)&hi == 0
}

func hexVal(b []byte) int {
	v := 0
	for _, c := range b {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= int(c - '0')
		case c >= 'a' && c <= 'f':
			v |= int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v |= int(c-'A') + 10
		default:
			return -1
		}
	}
	return v
}

// appendUnquoted decodes the escapes of a validated string body.
func appendUnquoted(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := rune(hexVal(raw[i+1 : i+5]))
			i += 4
			if r >= 0xD800 && r < 0xDC00 && i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				r2 := rune(hexVal(raw[i+3 : i+7]))
				if r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
					i += 6
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, raw[i])
		}
	}
	return dst
}

func unquote(raw []byte) []byte {
	if len(raw) >= 2 && raw[0] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw
	}
	return appendUnquoted(nil, raw)
}

// number reads a JSON number and returns its text and whether it has neither
// fraction nor exponent.
func (s *scanner) number() ([]byte, bool) {
	start := s.pos
	isInt := true
	if s.data[s.pos] == '-' {
		s.pos++
	}
	if s.pos >= len(s.data) {
		s.fail("unexpected end of JSON in a number")
	}
	switch c := s.data[s.pos]; {
	case c == '0':
		s.pos++
	case c >= '1' && c <= '9':
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
		}
	default:
		s.fail("invalid number")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		isInt = false
		s.pos++
		d := s.pos
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
		}
		if s.pos == d {
			s.fail("invalid number: no digits after the decimal point")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		isInt = false
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		d := s.pos
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
		}
		if s.pos == d {
			s.fail("invalid number: no digits in the exponent")
		}
	}
	return s.data[start:s.pos], isInt
}

// integralText reports whether a number with a fraction or exponent still
// denotes an integer (1.0, 1e3), as JSON Schema counts them.
func integralText(num []byte) bool {
	f, err := strconv.ParseFloat(bstr(num), 64)
	if err != nil {
		// Beyond float64 (1e400): an integer in JSON Schema's sense whose
		// range the format check reports.
		return bytes.IndexByte(num, '.') < 0
	}
	return f == math.Trunc(f)
}

// skip moves past the value at s.pos, checking its syntax but nothing else.
// It is iterative, so nesting depth costs no call stack.
func (s *scanner) skip() {
	stack := s.skipStack[:0]
	defer func() { s.skipStack = stack[:0] }()
	for {
		s.ws()
		if s.pos >= len(s.data) {
			s.fail("unexpected end of JSON")
		}
		c := s.data[s.pos]
		switch {
		case c == '{' || c == '[':
			s.pos++
			s.ws()
			if s.pos < len(s.data) && (s.data[s.pos] == '}' && c == '{' || s.data[s.pos] == ']' && c == '[') {
				s.pos++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				s.skipKey()
			}
			continue
		case c == '"':
			s.str()
		case c == '-' || (c >= '0' && c <= '9'):
			s.number()
		case c == 't':
			s.literal("true")
		case c == 'f':
			s.literal("false")
		case c == 'n':
			s.literal("null")
		default:
			s.fail("invalid character " + strconv.QuoteRune(rune(c)) + " looking for a value")
		}
		// After a value: close containers, or go on with the next element.
	closing:
		for len(stack) > 0 {
			s.ws()
			if s.pos >= len(s.data) {
				s.fail("unexpected end of JSON")
			}
			top := stack[len(stack)-1]
			switch s.data[s.pos] {
			case ',':
				s.pos++
				if top == '{' {
					s.skipKey()
				}
				break closing
			case '}':
				if top != '{' {
					s.fail("expected ',' or ']'")
				}
				s.pos++
				stack = stack[:len(stack)-1]
			case ']':
				if top != '[' {
					s.fail("expected ',' or '}'")
				}
				s.pos++
				stack = stack[:len(stack)-1]
			default:
				s.fail("expected ',' or a closing bracket")
			}
		}
		if len(stack) == 0 {
			return
		}
	}
}

func (s *scanner) skipKey() {
	s.ws()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		s.fail("expected a string key")
	}
	s.str()
	s.ws()
	if s.pos >= len(s.data) || s.data[s.pos] != ':' {
		s.fail("expected ':' after an object key")
	}
	s.pos++
}

// pointer renders the current JSON pointer.
func (s *scanner) pointer() string {
	if len(s.path) == 0 {
		return ""
	}
	var b []byte
	for _, seg := range s.path {
		b = append(b, '/')
		if seg.key == nil {
			b = strconv.AppendInt(b, int64(seg.index), 10)
			continue
		}
		for _, c := range seg.key {
			switch c {
			case '~':
				b = append(b, '~', '0')
			case '/':
				b = append(b, '~', '1')
			default:
				b = append(b, c)
			}
		}
	}
	return string(b)
}

func (s *scanner) typeMismatch(n *node, got string, at int) {
	s.em.add(Finding{Code: CodeInvalidType, Direction: s.dir, Part: PartBody, Pointer: s.pointer(), Offset: at, SpecRef: n.ref,
		Message: "expected " + typeNames(n.types) + ", got " + got})
}

package lint

import (
	"bytes"
	"sort"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the small JSON parser the input readers share. It turns
// bytes into a light tree whose values remember their byte spans, so that a
// reader can lift a sub-value (an example's body parameter, a recording's
// ResponseBody) out of the file verbatim and say where it sits. Strings are
// validated but decoded only on demand, numbers keep their text, and below a
// configurable depth containers are checked for syntax without building
// nodes, so a deep or large body costs no tree.

// jsonKind is the type of a JSON value.
type jsonKind uint8

// The JSON value types.
const (
	jsonNull jsonKind = iota + 1
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// String names the kind the way messages about input files do.
func (k jsonKind) String() string {
	switch k {
	case jsonNull:
		return "null"
	case jsonBool:
		return "a boolean"
	case jsonNumber:
		return "a number"
	case jsonString:
		return "a string"
	case jsonArray:
		return "an array"
	case jsonObject:
		return "an object"
	}
	return "nothing"
}

// jsonValue is one parsed value. Start and End delimit it in the parsed
// bytes (End exclusive). Members and Items are filled only for containers
// within the tree depth the document was parsed with.
type jsonValue struct {
	Kind       jsonKind
	Start, End int
	Members    []jsonMember
	Items      []*jsonValue
	// escaped is true for strings holding at least one backslash escape.
	escaped bool
}

// jsonMember is one member of an object: the decoded key, the offset of the
// key's opening quote and the value.
type jsonMember struct {
	Key      string
	KeyStart int
	Value    *jsonValue
}

// get returns the value of the first member named key, or nil (also when v
// is nil or not an object).
func (v *jsonValue) get(key string) *jsonValue {
	if v == nil || v.Kind != jsonObject {
		return nil
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return v.Members[i].Value
		}
	}
	return nil
}

// member returns the first member named key, or nil.
func (v *jsonValue) member(key string) *jsonMember {
	if v == nil || v.Kind != jsonObject {
		return nil
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return &v.Members[i]
		}
	}
	return nil
}

// jsonDoc is parsed JSON text with the means to decode its strings and to
// turn its offsets into file positions.
type jsonDoc struct {
	data []byte
	Root *jsonValue
	// base is the file position of data[0].
	base  Pos
	lines []int // offsets in data where a line starts, after the first
	// last caches the latest position computed, since readers mostly ask
	// for positions in increasing order.
	lastOff int
	lastPos Pos
	a       *jsonArena
}

// jsonSyntaxError is a syntax error at byte Offset of the parsed text. EOF
// is true when the text ended too early (a truncated file).
type jsonSyntaxError struct {
	Offset int
	Msg    string
	EOF    bool
}

func (e *jsonSyntaxError) Error() string { return e.Msg }

// maxJSONDepth bounds the nesting the parser accepts; deeper input is
// reported as a syntax error rather than exhausting memory.
const maxJSONDepth = 10000

// parseJSON parses data, which must hold exactly one JSON value surrounded by
// optional whitespace. Containers nested deeper than treeDepth (the root is
// at depth 0) are checked but get no Members or Items. base is the file
// position of data[0].
func parseJSON(data []byte, base Pos, treeDepth int) (*jsonDoc, error) {
	return parseJSONIn(nil, data, base, treeDepth)
}

// arenas recycles parse arenas between files.
var arenas = sync.Pool{New: func() any { return &jsonArena{} }}

// getArena returns an arena from the pool; give it back with putArena once no
// document parsed in it is in use.
func getArena() *jsonArena { return arenas.Get().(*jsonArena) }

func putArena(a *jsonArena) {
	a.reset()
	arenas.Put(a)
}

// parseJSONIn is parseJSON with the nodes taken from arena a, which is
// reset first: the previous document parsed in a must no longer be in use.
// A nil arena means a fresh one.
func parseJSONIn(a *jsonArena, data []byte, base Pos, treeDepth int) (*jsonDoc, error) {
	if a == nil {
		a = &jsonArena{}
	}
	a.reset()
	p := jsonParser{data: data, treeDepth: treeDepth, a: a}
	p.space()
	if p.i >= len(data) {
		return nil, p.eof("expected a JSON value, found the end of the input")
	}
	root, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(data) {
		return nil, p.fail("unexpected " + describeByte(data, p.i) + " after the JSON value")
	}
	return &jsonDoc{data: data, Root: root, base: base, a: a}, nil
}

type jsonParser struct {
	data      []byte
	i         int
	treeDepth int
	a         *jsonArena
}

// jsonArena hands out the nodes of parsed documents in chunks, so that a
// stream of entries parsed one after the other reuses the same memory, and
// interns object keys, which repeat from entry to entry.
type jsonArena struct {
	vals   chunkAlloc[jsonValue]
	mems   chunkAlloc[jsonMember]
	items  chunkAlloc[*jsonValue]
	mstack []jsonMember
	istack []*jsonValue
	keys   map[string]string
	lines  []int
}

// maxInternedKeys bounds the key table of an arena.
const maxInternedKeys = 4096

func (a *jsonArena) reset() {
	a.vals.reset()
	a.mems.reset()
	a.items.reset()
	a.mstack = a.mstack[:0]
	a.istack = a.istack[:0]
}

func (a *jsonArena) value(k jsonKind, start, end int) *jsonValue {
	v := &a.vals.take(1)[0]
	v.Kind, v.Start, v.End = k, start, end
	return v
}

// key returns the decoded key of the literal lit, interned.
func (a *jsonArena) key(lit []byte, escaped bool) string {
	if escaped {
		return string(decodeJSONString(lit, true))
	}
	b := lit[1 : len(lit)-1]
	if k, ok := a.keys[string(b)]; ok {
		return k
	}
	k := string(b)
	if a.keys == nil {
		a.keys = map[string]string{}
	}
	if len(a.keys) < maxInternedKeys {
		a.keys[k] = k
	}
	return k
}

// chunkAlloc allocates slices of T from chunks that are reused after reset.
type chunkAlloc[T any] struct {
	chunks [][]T
	ci     int
	next   int
}

// take returns n zeroed elements, contiguous, with capacity n.
func (c *chunkAlloc[T]) take(n int) []T {
	for c.ci < len(c.chunks) {
		ch := c.chunks[c.ci]
		if c.next+n <= len(ch) {
			s := ch[c.next : c.next+n : c.next+n]
			c.next += n
			clear(s)
			return s
		}
		c.ci++
		c.next = 0
	}
	// Chunks grow from small to large, so that a small document costs
	// little and a large one few allocations.
	size := 16 << min(len(c.chunks), 6)
	if n > size {
		size = n
	}
	c.chunks = append(c.chunks, make([]T, size))
	c.ci = len(c.chunks) - 1
	c.next = n
	return c.chunks[c.ci][:n:n]
}

func (c *chunkAlloc[T]) reset() { c.ci, c.next = 0, 0 }

func (p *jsonParser) fail(msg string) error {
	return &jsonSyntaxError{Offset: p.i, Msg: msg}
}

func (p *jsonParser) eof(msg string) error {
	return &jsonSyntaxError{Offset: len(p.data), Msg: msg, EOF: true}
}

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses the value at p.i (whitespace already skipped).
func (p *jsonParser) value(depth int) (*jsonValue, error) {
	if p.i >= len(p.data) {
		return nil, p.eof("expected a JSON value, found the end of the input")
	}
	switch c := p.data[p.i]; c {
	case '{', '[':
		if depth >= p.treeDepth {
			start := p.i
			if err := p.skipContainer(depth); err != nil {
				return nil, err
			}
			k := jsonObject
			if c == '[' {
				k = jsonArray
			}
			return p.a.value(k, start, p.i), nil
		}
		if depth >= maxJSONDepth {
			return nil, p.fail("JSON nested more than " + strconv.Itoa(maxJSONDepth) + " levels deep")
		}
		if c == '{' {
			return p.object(depth)
		}
		return p.array(depth)
	default:
		return p.scalar()
	}
}

func (p *jsonParser) object(depth int) (*jsonValue, error) {
	v := p.a.value(jsonObject, p.i, 0)
	p.i++ // {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		v.End = p.i
		return v, nil
	}
	mark := len(p.a.mstack)
	for {
		if p.i >= len(p.data) {
			return nil, p.eof("unexpected end of input in an object")
		}
		if p.data[p.i] != '"' {
			return nil, p.fail("expected a string key, found " + describeByte(p.data, p.i))
		}
		keyStart := p.i
		esc, err := p.str()
		if err != nil {
			return nil, err
		}
		key := p.a.key(p.data[keyStart:p.i], esc)
		p.space()
		if p.i >= len(p.data) {
			return nil, p.eof("unexpected end of input after an object key")
		}
		if p.data[p.i] != ':' {
			return nil, p.fail("expected ':' after object key, found " + describeByte(p.data, p.i))
		}
		p.i++
		p.space()
		val, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.a.mstack = append(p.a.mstack, jsonMember{Key: key, KeyStart: keyStart, Value: val})
		p.space()
		if p.i >= len(p.data) {
			return nil, p.eof("unexpected end of input in an object")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.space()
		case '}':
			p.i++
			v.End = p.i
			v.Members = p.a.mems.take(len(p.a.mstack) - mark)
			copy(v.Members, p.a.mstack[mark:])
			p.a.mstack = p.a.mstack[:mark]
			return v, nil
		default:
			return nil, p.fail("expected ',' or '}' in an object, found " + describeByte(p.data, p.i))
		}
	}
}

func (p *jsonParser) array(depth int) (*jsonValue, error) {
	v := p.a.value(jsonArray, p.i, 0)
	p.i++ // [
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		v.End = p.i
		return v, nil
	}
	mark := len(p.a.istack)
	for {
		item, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.a.istack = append(p.a.istack, item)
		p.space()
		if p.i >= len(p.data) {
			return nil, p.eof("unexpected end of input in an array")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.space()
		case ']':
			p.i++
			v.End = p.i
			v.Items = p.a.items.take(len(p.a.istack) - mark)
			copy(v.Items, p.a.istack[mark:])
			p.a.istack = p.a.istack[:mark]
			return v, nil
		default:
			return nil, p.fail("expected ',' or ']' in an array, found " + describeByte(p.data, p.i))
		}
	}
}

// skipContainer checks the syntax of the object or array at p.i without
// building nodes, iteratively so that depth costs no stack.
func (p *jsonParser) skipContainer(depth int) error {
	var stack []byte
	for {
		// A value is expected at p.i.
		if p.i >= len(p.data) {
			return p.eof("expected a JSON value, found the end of the input")
		}
		switch c := p.data[p.i]; c {
		case '{', '[':
			if depth+len(stack) >= maxJSONDepth {
				return p.fail("JSON nested more than " + strconv.Itoa(maxJSONDepth) + " levels deep")
			}
			p.i++
			p.space()
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			if p.i < len(p.data) && p.data[p.i] == closer {
				p.i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if err := p.key(); err != nil {
					return err
				}
			}
			continue
		default:
			if _, err := p.scalar(); err != nil {
				return err
			}
		}
		// A value ended: close containers or move to the next element.
		for {
			if len(stack) == 0 {
				return nil
			}
			p.space()
			if p.i >= len(p.data) {
				return p.eof("unexpected end of input in a nested value")
			}
			top := stack[len(stack)-1]
			c := p.data[p.i]
			if c == ',' {
				p.i++
				p.space()
				if top == '{' {
					if err := p.key(); err != nil {
						return err
					}
				}
				break
			}
			if (top == '{' && c == '}') || (top == '[' && c == ']') {
				p.i++
				stack = stack[:len(stack)-1]
				continue
			}
			if top == '{' {
				return p.fail("expected ',' or '}' in an object, found " + describeByte(p.data, p.i))
			}
			return p.fail("expected ',' or ']' in an array, found " + describeByte(p.data, p.i))
		}
	}
}

// key parses `"name" :` and the whitespace after it.
func (p *jsonParser) key() error {
	if p.i >= len(p.data) {
		return p.eof("unexpected end of input in an object")
	}
	if p.data[p.i] != '"' {
		return p.fail("expected a string key, found " + describeByte(p.data, p.i))
	}
	if _, err := p.str(); err != nil {
		return err
	}
	p.space()
	if p.i >= len(p.data) {
		return p.eof("unexpected end of input after an object key")
	}
	if p.data[p.i] != ':' {
		return p.fail("expected ':' after object key, found " + describeByte(p.data, p.i))
	}
	p.i++
	p.space()
	return nil
}

func (p *jsonParser) scalar() (*jsonValue, error) {
	start := p.i
	switch c := p.data[p.i]; {
	case c == '"':
		esc, err := p.str()
		if err != nil {
			return nil, err
		}
		v := p.a.value(jsonString, start, p.i)
		v.escaped = esc
		return v, nil
	case c == '-' || (c >= '0' && c <= '9'):
		if err := p.number(); err != nil {
			return nil, err
		}
		return p.a.value(jsonNumber, start, p.i), nil
	case c == 't':
		return p.literal("true", jsonBool)
	case c == 'f':
		return p.literal("false", jsonBool)
	case c == 'n':
		return p.literal("null", jsonNull)
	}
	return nil, p.fail("expected a JSON value, found " + describeByte(p.data, p.i))
}

func (p *jsonParser) literal(word string, k jsonKind) (*jsonValue, error) {
	start := p.i
	for j := 0; j < len(word); j++ {
		if p.i >= len(p.data) {
			return nil, p.eof("unexpected end of input in the literal " + strconv.Quote(word))
		}
		if p.data[p.i] != word[j] {
			p.i = start
			return nil, p.fail("invalid literal, expected " + strconv.Quote(word))
		}
		p.i++
	}
	if p.i < len(p.data) && isWordByte(p.data[p.i]) {
		p.i = start
		return nil, p.fail("invalid literal, expected " + strconv.Quote(word))
	}
	return p.a.value(k, start, p.i), nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// number checks the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() error {
	d := p.data
	if p.i < len(d) && d[p.i] == '-' {
		p.i++
	}
	if p.i >= len(d) {
		return p.eof("unexpected end of input in a number")
	}
	switch {
	case d[p.i] == '0':
		p.i++
	case d[p.i] >= '1' && d[p.i] <= '9':
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
	default:
		return p.fail("invalid number: expected a digit, found " + describeByte(d, p.i))
	}
	if p.i < len(d) && d[p.i] == '.' {
		p.i++
		if p.i >= len(d) {
			return p.eof("unexpected end of input in a number")
		}
		if d[p.i] < '0' || d[p.i] > '9' {
			return p.fail("invalid number: expected a digit after '.', found " + describeByte(d, p.i))
		}
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
	}
	if p.i < len(d) && (d[p.i] == 'e' || d[p.i] == 'E') {
		p.i++
		if p.i < len(d) && (d[p.i] == '+' || d[p.i] == '-') {
			p.i++
		}
		if p.i >= len(d) {
			return p.eof("unexpected end of input in a number")
		}
		if d[p.i] < '0' || d[p.i] > '9' {
			return p.fail("invalid number: expected a digit in the exponent, found " + describeByte(d, p.i))
		}
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
	}
	if p.i < len(d) && (isWordByte(d[p.i]) || d[p.i] == '.') {
		return p.fail("invalid number: unexpected " + describeByte(d, p.i))
	}
	return nil
}

// str checks the string literal at p.i and moves past it; it reports whether
// the literal holds escapes.
func (p *jsonParser) str() (escaped bool, err error) {
	d := p.data
	p.i++ // opening quote
	for {
		// Fast scan to the next byte that needs attention.
		j := p.i
		for j < len(d) {
			c := d[j]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			j++
		}
		p.i = j
		if p.i >= len(d) {
			return escaped, p.eof("unexpected end of input in a string")
		}
		switch c := d[p.i]; {
		case c == '"':
			p.i++
			return escaped, nil
		case c < 0x20:
			return escaped, p.fail("invalid control character " + describeByte(d, p.i) + " in a string (escape it)")
		default: // backslash
			escaped = true
			if p.i+1 >= len(d) {
				p.i = len(d)
				return escaped, p.eof("unexpected end of input in a string escape")
			}
			switch d[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				for k := 2; k < 6; k++ {
					if p.i+k >= len(d) {
						p.i = len(d)
						return escaped, p.eof("unexpected end of input in a \\u escape")
					}
					if !isHexDigit(d[p.i+k]) {
						p.i += k
						return escaped, p.fail("invalid \\u escape: " + describeByte(d, p.i) + " is not a hex digit")
					}
				}
				p.i += 6
			default:
				return escaped, p.fail("invalid escape in a string: " + describeByte(d, p.i+1) + " after a backslash")
			}
		}
	}
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// describeByte names the byte at data[i] for a syntax error message.
func describeByte(data []byte, i int) string {
	if i >= len(data) {
		return "the end of the input"
	}
	c := data[i]
	switch {
	case c == '\n':
		return "a line break"
	case c < 0x20 || c == 0x7f:
		return "byte 0x" + strconv.FormatUint(uint64(c), 16)
	case c < utf8.RuneSelf:
		return strconv.QuoteRune(rune(c))
	}
	r, _ := utf8.DecodeRune(data[i:])
	if r == utf8.RuneError {
		return "an invalid UTF-8 byte"
	}
	return strconv.QuoteRune(r)
}

// decodeJSONString decodes a checked string literal (quotes included).
// Unpaired surrogates and invalid UTF-8 become U+FFFD, as with encoding/json.
func decodeJSONString(lit []byte, escaped bool) []byte {
	if len(lit) < 2 {
		return nil
	}
	body := lit[1 : len(lit)-1]
	if !escaped {
		out := make([]byte, len(body))
		copy(out, body)
		return out
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			j := len(body)
			if k := bytes.IndexByte(body[i+1:], '\\'); k >= 0 {
				j = i + 1 + k
			}
			out = append(out, body[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(body) {
			break
		}
		switch body[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+6 > len(body) {
				return out
			}
			r := rune(hex4(body[i+2 : i+6]))
			n := 6
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+12 <= len(body) && body[i+6] == '\\' && body[i+7] == 'u' {
					r2 = rune(hex4(body[i+8 : i+12]))
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r, n = d, 12
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
			i += n
			continue
		default: // " \ /
			out = append(out, body[i+1])
		}
		i += 2
	}
	return out
}

// raw returns the bytes of v as written.
func (d *jsonDoc) raw(v *jsonValue) []byte { return d.data[v.Start:v.End] }

// str decodes a string value; for other kinds it returns the text as
// written (numbers, booleans and null keep their literal).
func (d *jsonDoc) str(v *jsonValue) string {
	if v.Kind == jsonString {
		if !v.escaped {
			return string(d.data[v.Start+1 : v.End-1])
		}
		return string(decodeJSONString(d.data[v.Start:v.End], true))
	}
	return string(d.data[v.Start:v.End])
}

// strBytes decodes a string value into a new slice.
func (d *jsonDoc) strBytes(v *jsonValue) []byte {
	return decodeJSONString(d.data[v.Start:v.End], v.escaped)
}

// pos returns the file position of byte offset off of the parsed text.
func (d *jsonDoc) pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(d.data) {
		off = len(d.data)
	}
	if d.lastPos.Line > 0 && off >= d.lastOff && bytes.IndexByte(d.data[d.lastOff:off], '\n') < 0 {
		d.lastPos = advance(d.lastPos, d.data[d.lastOff:off])
		d.lastOff = off
		return d.lastPos
	}
	if d.lines == nil {
		d.a.lines = appendLineStarts(d.a.lines[:0], d.data)
		d.lines = d.a.lines
	}
	d.lastOff, d.lastPos = off, posFromLines(d.data, d.lines, d.base, off)
	return d.lastPos
}

// lineStarts returns the offsets just after each '\n' in data, and never
// nil.
func lineStarts(data []byte) []int {
	return appendLineStarts(make([]int, 0, 16), data)
}

func appendLineStarts(lines []int, data []byte) []int {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return lines
		}
		i += j + 1
		lines = append(lines, i)
	}
}

// posFromLines turns offset off of data into a file position, given the
// line starts of data and the position of data[0]. Columns count code
// points, like Pos.Advance.
func posFromLines(data []byte, lines []int, base Pos, off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(data) {
		off = len(data)
	}
	k := sort.SearchInts(lines, off+1) // lines before or at off
	if k == 0 {
		return advance(base, data[:off])
	}
	ls := lines[k-1]
	p := Pos{Offset: base.Offset + ls, Line: base.Line + k, Column: 1}
	return advance(p, data[ls:off])
}

// advance is Pos.Advance with a fast path for ASCII without line breaks.
func advance(p Pos, b []byte) Pos {
	for _, c := range b {
		if c >= utf8.RuneSelf || c == '\n' {
			return p.Advance(b)
		}
	}
	p.Offset += len(b)
	p.Column += len(b)
	return p
}

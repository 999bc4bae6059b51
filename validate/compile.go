package validate

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/contractlint/contractlint/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// JSON type bits of a compiled schema.
const (
	tObject uint8 = 1 << iota
	tArray
	tString
	tInteger
	tNumber
	tBoolean
)

// format is a compiled "format" keyword.
type format uint8

const (
	fmtNone format = iota
	fmtUUID
	fmtDateTime
	fmtDate
	fmtRFC1123
	fmtByte
	fmtInt32
	fmtInt64
	fmtDuration
	fmtURI
)

func compileFormat(f string) format {
	switch strings.ToLower(f) {
	case "uuid":
		return fmtUUID
	case "date-time":
		return fmtDateTime
	case "date":
		return fmtDate
	case "date-time-rfc1123":
		return fmtRFC1123
	case "byte":
		return fmtByte
	case "int32":
		return fmtInt32
	case "int64":
		return fmtInt64
	case "duration":
		return fmtDuration
	case "uri", "url":
		return fmtURI
	}
	return fmtNone
}

func (f format) String() string {
	return [...]string{"", "uuid", "date-time", "date", "date-time-rfc1123", "byte", "int32", "int64", "duration", "uri"}[f]
}

// nullability of a schema: x-nullable / nullable as declared.
const (
	nullUnset int8 = iota
	nullTrue
	nullFalse
)

// node is a compiled schema: everything the scanner checks, as plain fields.
type node struct {
	types    uint8 // 0 = any type
	nullable int8

	props    []prop
	propIdx  map[string]int // for objects with many properties
	required []int          // indices into props
	closed   bool           // undeclared properties are findings
	addl     *node          // additionalProperties schema (maps)

	items              *node
	minItems, maxItems int // -1 = unset

	enum      []string
	enumOpen  bool // x-ms-enum modelAsString: true (or no x-ms-enum but declared open)
	enumName  string
	pattern   *spec.Pattern
	dfa       *lazyDFA // pattern on ASCII values, built on first use
	format    format
	minLen    int // -1 = unset
	maxLen    int // -1 = unset
	min, max  float64
	hasMin    bool
	hasMax    bool
	exclMin   bool
	exclMax   bool
	readOnly  bool // readOnly or x-ms-mutability without create and update
	writeOnly bool // writeOnly or x-ms-mutability without read
	secret    bool // x-ms-secret or format password
	resource  bool // x-ms-azure-resource
	idProp    int  // index of the "id" property, -1 when none

	ref string // where the schema sits in the contract
}

type prop struct {
	name     string
	node     *node
	required bool
	secret   bool // the property is secret by name or by schema
	ref      string
}

// compiler turns kin-openapi schemas into nodes, once per schema.
type compiler struct {
	source string
	memo   map[*openapi3.Schema]*node
	dfas   map[string]*lazyDFA
	err    error
}

// lazyDFA returns the shared, lazily built automaton of a pattern source.
func (c *compiler) lazyDFA(source string) *lazyDFA {
	if d, ok := c.dfas[source]; ok {
		return d
	}
	if c.dfas == nil {
		c.dfas = map[string]*lazyDFA{}
	}
	d := &lazyDFA{source: source}
	c.dfas[source] = d
	return d
}

func (c *compiler) schema(ref *openapi3.SchemaRef, at string) *node {
	if ref == nil || ref.Value == nil {
		return nil
	}
	if ref.Ref != "" {
		at = c.refLocation(ref.Ref)
	}
	s := ref.Value
	if n, ok := c.memo[s]; ok {
		return n
	}
	n := &node{minLen: -1, maxLen: -1, minItems: -1, maxItems: -1, idProp: -1, ref: at}
	c.memo[s] = n
	c.fill(n, s, at, map[*openapi3.Schema]bool{})
	if len(n.props) > 8 {
		n.propIdx = make(map[string]int, len(n.props))
		for i, p := range n.props {
			n.propIdx[p.name] = i
		}
	}
	for i, p := range n.props {
		if p.name == "id" {
			n.idProp = i
		}
	}
	return n
}

func (c *compiler) refLocation(ref string) string {
	if strings.HasPrefix(ref, "#") {
		return c.source + ref
	}
	return ref
}

// fill merges s (and, ARM-style, its allOf parents) into n.
func (c *compiler) fill(n *node, s *openapi3.Schema, at string, visiting map[*openapi3.Schema]bool) {
	if visiting[s] {
		return
	}
	visiting[s] = true
	for i, parent := range s.AllOf {
		if parent == nil || parent.Value == nil {
			continue
		}
		pat := fmt.Sprintf("%s/allOf/%d", at, i)
		if parent.Ref != "" {
			pat = c.refLocation(parent.Ref)
		}
		c.fill(n, parent.Value, pat, visiting)
	}
	if s.Type != nil {
		for _, t := range *s.Type {
			switch t {
			case "object":
				n.types |= tObject
			case "array":
				n.types |= tArray
			case "string":
				n.types |= tString
			case "integer":
				n.types |= tInteger
			case "number":
				n.types |= tNumber | tInteger
			case "boolean":
				n.types |= tBoolean
			}
		}
	}
	if s.Nullable {
		n.nullable = nullTrue
	}
	if v, ok := s.Extensions["x-nullable"].(bool); ok {
		if v {
			n.nullable = nullTrue
		} else {
			n.nullable = nullFalse
		}
	}
	for _, name := range sortedNames(s.Properties) {
		pref := s.Properties[name]
		pat := at + "/properties/" + escapeToken(name)
		child := c.schema(pref, pat)
		if child == nil {
			continue
		}
		i := n.propIndex(name)
		if i < 0 {
			n.props = append(n.props, prop{name: name, node: child, ref: pat, secret: child.secret || credentialName(name)})
		} else {
			n.props[i].node, n.props[i].ref = child, pat
		}
	}
	for _, r := range s.Required {
		if i := n.propIndex(r); i >= 0 {
			if !n.props[i].required {
				n.props[i].required = true
				n.required = append(n.required, i)
			}
		} else {
			// A required property with no declaration: any value is accepted.
			n.props = append(n.props, prop{name: r, required: true, ref: at + "/required", secret: credentialName(r)})
			n.required = append(n.required, len(n.props)-1)
		}
	}
	if len(n.props) > 0 {
		n.closed = true
	}
	if ap := s.AdditionalProperties; ap.Has != nil && !*ap.Has {
		n.closed = true
	} else if ap.Schema != nil {
		n.addl = c.schema(ap.Schema, at+"/additionalProperties")
		n.closed = false
	} else if ap.Has != nil && *ap.Has {
		n.closed = false
	}
	if s.Items != nil {
		n.items = c.schema(s.Items, at+"/items")
	}
	if s.MinItems > 0 {
		n.minItems = int(s.MinItems)
	}
	if s.MaxItems != nil {
		n.maxItems = int(*s.MaxItems)
	}
	if len(s.Enum) > 0 {
		n.enum = n.enum[:0]
		for _, e := range s.Enum {
			n.enum = append(n.enum, fmt.Sprint(e))
		}
	}
	if xe, ok := s.Extensions["x-ms-enum"].(map[string]any); ok {
		if name, ok := xe["name"].(string); ok {
			n.enumName = name
		}
		if mas, ok := xe["modelAsString"].(bool); ok {
			n.enumOpen = mas
		}
	}
	if s.Pattern != "" {
		p, err := spec.CompilePattern(s.Pattern)
		if err != nil && c.err == nil {
			c.err = fmt.Errorf("%s: %w", at, err)
		}
		n.pattern = p
		if p != nil {
			n.dfa = c.lazyDFA(s.Pattern)
		}
	}
	if s.Format != "" {
		if f := compileFormat(s.Format); f != fmtNone {
			n.format = f
		}
		if strings.EqualFold(s.Format, "password") {
			n.secret = true
		}
	}
	if s.MinLength > 0 {
		n.minLen = int(s.MinLength)
	}
	if s.MaxLength != nil {
		n.maxLen = int(*s.MaxLength)
	}
	if s.Min != nil {
		n.min, n.hasMin = *s.Min, true
		n.exclMin = s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool
	}
	if s.Max != nil {
		n.max, n.hasMax = *s.Max, true
		n.exclMax = s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool
	}
	if s.ReadOnly {
		n.readOnly = true
	}
	if s.WriteOnly {
		n.writeOnly = true
	}
	if m, ok := s.Extensions["x-ms-mutability"].([]any); ok {
		var read, create, update bool
		for _, v := range m {
			switch v {
			case "read":
				read = true
			case "create":
				create = true
			case "update":
				update = true
			}
		}
		n.writeOnly = n.writeOnly || !read
		n.readOnly = n.readOnly || (!create && !update)
	}
	if v, ok := s.Extensions["x-ms-secret"].(bool); ok && v {
		n.secret = true
	}
	if v, ok := s.Extensions["x-ms-azure-resource"].(bool); ok && v {
		n.resource = true
	}
	if n.hasMin && math.IsInf(n.min, 0) {
		n.hasMin = false
	}
}

func (n *node) propIndex(name string) int {
	for i := range n.props {
		if n.props[i].name == name {
			return i
		}
	}
	return -1
}

// lookup finds the property named by key without allocating.
func (n *node) lookup(key []byte) int {
	if n.propIdx != nil {
		if i, ok := n.propIdx[string(key)]; ok {
			return i
		}
		return -1
	}
	for i := range n.props {
		if n.props[i].name == string(key) {
			return i
		}
	}
	return -1
}

func sortedNames(m openapi3.Schemas) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// credentialName reports whether a property name says it holds a credential,
// whatever its schema says: its value is then never shown.
func credentialName(name string) bool {
	// Lower-case ASCII names on the stack: this runs per key of a map.
	var buf [64]byte
	var l string
	if len(name) <= len(buf) && asciiString(name) {
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		l = bstr(buf[:len(name)])
	} else {
		l = strings.ToLower(name)
	}
	switch {
	case strings.Contains(l, "password"), strings.Contains(l, "secret"),
		strings.Contains(l, "connectionstring"), strings.Contains(l, "token"),
		strings.Contains(l, "credential"), strings.Contains(l, "sharedaccesssignature"):
		return true
	case l == "key" || (strings.HasSuffix(l, "key") && l != "keyname"):
		return true
	}
	return false
}

func asciiString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

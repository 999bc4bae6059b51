package spec

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// segment is one element of a path template: a literal or a {parameter}.
type segment struct {
	lit   string
	param string
}

func parseTemplate(path string) ([]segment, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path template %q does not start with /", path)
	}
	var segs []segment
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		switch {
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && len(s) > 2:
			segs = append(segs, segment{param: s[1 : len(s)-1]})
		case strings.ContainsAny(s, "{}"):
			return nil, fmt.Errorf("path template %q: segment %q mixes literal and parameter", path, s)
		case s == "":
			return nil, fmt.Errorf("path template %q has an empty segment", path)
		default:
			segs = append(segs, segment{lit: s})
		}
	}
	return segs, nil
}

// MaxPathParams is the most path parameters a routed template may have.
const MaxPathParams = 12

// Match is a successful route: the operation, the api-version that selected
// it and the decoded path parameter values.
type Match struct {
	Operation  *Operation
	APIVersion string

	// The values are kept compact, as Route allocates one Match per call:
	// a value is a span of path unless it had to be percent-decoded (or
	// lies beyond 64 KiB), then bit k of inDecoded is set and it is in
	// decoded[k].
	path      string
	spans     [MaxPathParams]span
	decoded   *[MaxPathParams]string
	inDecoded uint16
	n         int
}

type span struct{ start, end uint16 }

// value returns the k-th parameter value.
func (m *Match) value(k int) string {
	if m.inDecoded&(1<<k) != 0 {
		return m.decoded[k]
	}
	return m.path[m.spans[k].start:m.spans[k].end]
}

// setValue records the k-th parameter value v, which starts at byte start
// of path unless it was decoded.
func (m *Match) setValue(k int, v string, decoded bool, start int) {
	if end := start + len(v); !decoded && end <= math.MaxUint16 {
		m.spans[k] = span{uint16(start), uint16(end)}
		m.inDecoded &^= 1 << k
		return
	}
	if m.decoded == nil {
		m.decoded = new([MaxPathParams]string)
	}
	m.decoded[k] = v
	m.inDecoded |= 1 << k
}

// PathValue returns the decoded value of the path parameter name (matched
// case-insensitively) and whether the template has such a parameter.
func (m *Match) PathValue(name string) (string, bool) {
	k := 0
	for _, s := range m.Operation.segments {
		if s.param == "" {
			continue
		}
		if strings.EqualFold(s.param, name) {
			return m.value(k), true
		}
		k++
	}
	return "", false
}

// SegmentValue returns the decoded value of the i-th path segment of the
// template, which must be a parameter segment.
func (m *Match) SegmentValue(i int) string {
	k := 0
	for j, s := range m.Operation.segments {
		if s.param == "" {
			continue
		}
		if j == i {
			return m.value(k)
		}
		k++
	}
	return ""
}

// MissKind says why a call could not be routed to an operation.
type MissKind uint8

// The ways routing can miss.
const (
	// NoContract: no embedded contract has an operation on this path.
	NoContract MissKind = iota + 1
	// NoAPIVersion: the path is known but the call has no api-version.
	NoAPIVersion
	// UnsupportedAPIVersion: the path is known but not at this api-version.
	UnsupportedAPIVersion
	// MethodNotAllowed: the path and api-version are known, the method is not.
	MethodNotAllowed
)

// RouteError explains a routing miss. Its fields name what was found so that
// callers can report the miss precisely.
type RouteError struct {
	Kind       MissKind
	Method     string
	Path       string
	APIVersion string
	// Resource names the provider and resource type taken from the URL, for
	// example "Microsoft.Web/sites", or the path when it names none.
	Resource string
	// Template is the matched path template (for every kind but NoContract).
	Template string
	// Supported lists the api-versions the contracts have for the path.
	Supported []string
	// Allowed lists the methods the path allows at that api-version.
	Allowed []string
}

func (e *RouteError) Error() string {
	switch e.Kind {
	case NoAPIVersion:
		return fmt.Sprintf("%s %s has no api-version query parameter; contracts exist for %s", e.Method, e.Path, strings.Join(e.Supported, ", "))
	case UnsupportedAPIVersion:
		return fmt.Sprintf("api-version %q is not embedded for %s; embedded: %s", e.APIVersion, e.Template, strings.Join(e.Supported, ", "))
	case MethodNotAllowed:
		return fmt.Sprintf("method %s is not allowed on %s at api-version %s; allowed: %s", e.Method, e.Template, e.APIVersion, strings.Join(e.Allowed, ", "))
	default:
		return fmt.Sprintf("no contract for %s (%s %s)", e.Resource, e.Method, e.Path)
	}
}

// routeNode is one level of the routing tree shared by all contracts.
type routeNode struct {
	lits  []litEdge
	param *routeNode
	leaf  *routeLeaf
}

type litEdge struct {
	lit   string
	ascii bool // lit is ASCII, see match
	next  *routeNode
}

// routeLeaf holds every operation whose template ends at a node, keyed by
// api-version (lower case) then method.
type routeLeaf struct {
	template string
	versions []versionOps
	names    []string // api-versions as declared, sorted
}

type versionOps struct {
	version string // lower case
	ops     []*Operation
}

func (n *routeNode) insert(op *Operation) error {
	cur := n
	for _, s := range op.segments {
		if s.param != "" {
			if cur.param == nil {
				cur.param = &routeNode{}
			}
			cur = cur.param
			continue
		}
		var next *routeNode
		for _, e := range cur.lits {
			if strings.EqualFold(e.lit, s.lit) {
				next = e.next
			}
		}
		if next == nil {
			next = &routeNode{}
			cur.lits = append(cur.lits, litEdge{lit: s.lit, ascii: isASCII(s.lit), next: next})
		}
		cur = next
	}
	if cur.leaf == nil {
		cur.leaf = &routeLeaf{template: op.Path}
	}
	leaf := cur.leaf
	v := strings.ToLower(op.Contract.APIVersion)
	var vo *versionOps
	for i := range leaf.versions {
		if leaf.versions[i].version == v {
			vo = &leaf.versions[i]
		}
	}
	if vo == nil {
		leaf.versions = append(leaf.versions, versionOps{version: v})
		vo = &leaf.versions[len(leaf.versions)-1]
		leaf.names = append(leaf.names, op.Contract.APIVersion)
		sort.Strings(leaf.names)
	}
	for _, o := range vo.ops {
		if o.Method == op.Method {
			return fmt.Errorf("%s %s at api-version %s is declared twice (%s, %s)", op.Method, op.Path, op.Contract.APIVersion, o.ID, op.ID)
		}
	}
	vo.ops = append(vo.ops, op)
	return nil
}

// match walks the tree, preferring literals over parameters and backtracking
// when a literal branch dead-ends. path is a suffix of m.path, which has had
// its trailing slash removed;
// escaped says whether it contains a '%' at all, so that segments of the
// usual unescaped path are not searched for one each.
func (n *routeNode) match(path string, escaped bool, m *Match) *routeLeaf {
	if path == "" {
		return n.leaf
	}
	if path[0] == '/' {
		path = path[1:]
	}
	seg, rest := path, ""
	if i := strings.IndexByte(path, '/'); i >= 0 {
		seg, rest = path[:i], path[i:]
	}
	decoded := false
	if escaped && strings.IndexByte(seg, '%') >= 0 {
		if d, err := url.PathUnescape(seg); err == nil {
			seg, decoded = d, true
		}
	}
	for i := range n.lits {
		if n.lits[i].match(seg) {
			if leaf := n.lits[i].next.match(rest, escaped, m); leaf != nil {
				return leaf
			}
		}
	}
	if n.param != nil && m.n < MaxPathParams {
		k := m.n
		m.setValue(k, seg, decoded, len(m.path)-len(path))
		m.n++
		if leaf := n.param.match(rest, escaped, m); leaf != nil {
			return leaf
		}
		m.n = k
	}
	return nil
}

// splitURL separates the path and the raw query of an absolute URL, a
// path-only URL or a request-target, without allocating.
func splitURL(raw string) (path, query string) {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	// An absolute URL has "://" just where its first slash is.
	if s := strings.IndexByte(raw, '/'); s > 0 && raw[s-1] == ':' && s+1 < len(raw) && raw[s+1] == '/' {
		raw = raw[s+2:]
		j := strings.IndexAny(raw, "/?")
		if j < 0 {
			return "/", ""
		}
		raw = raw[j:]
	}
	path, query, _ = strings.Cut(raw, "?")
	if path == "" {
		path = "/"
	}
	return path, query
}

// match reports whether a URL segment matches the literal, with the case
// folding of strings.EqualFold, cheaply for the usual ASCII literal: a
// segment shorter than it cannot match, one of the same length is compared
// bytewise, and only a longer one (a multi-byte rune such as U+017F folding to
// "s") needs Unicode folding.
func (e *litEdge) match(seg string) bool {
	if !e.ascii {
		return strings.EqualFold(e.lit, seg)
	}
	if len(seg) != len(e.lit) {
		return len(seg) > len(e.lit) && !isASCII(seg) && strings.EqualFold(e.lit, seg)
	}
	for i := 0; i < len(seg); i++ {
		a, b := e.lit[i], seg[i]
		if a == b {
			continue
		}
		if b >= utf8.RuneSelf {
			return strings.EqualFold(e.lit, seg)
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// QueryValue returns the first value of the query parameter key (matched
// case-insensitively) in a raw query string, decoded, and whether it occurs.
func QueryValue(query, key string) (string, bool) {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		k, v, _ := strings.Cut(pair, "=")
		if strings.IndexByte(k, '%') >= 0 || strings.IndexByte(k, '+') >= 0 {
			if d, err := url.QueryUnescape(k); err == nil {
				k = d
			}
		}
		if !strings.EqualFold(k, key) {
			continue
		}
		if strings.IndexByte(v, '%') >= 0 || strings.IndexByte(v, '+') >= 0 {
			if d, err := url.QueryUnescape(v); err == nil {
				v = d
			}
		}
		return v, true
	}
	return "", false
}

// resourceOf names the provider and resource type a URL path addresses, for
// the message of a NoContract miss.
func resourceOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 2; i >= 0; i-- {
		if strings.EqualFold(segs[i], "providers") {
			ns := segs[i+1]
			types := []string{ns}
			for j := i + 2; j < len(segs); j += 2 {
				types = append(types, segs[j])
			}
			return strings.Join(types, "/")
		}
	}
	switch {
	case len(segs) >= 3 && strings.EqualFold(segs[2], "resourceGroups"):
		return "resource groups (Microsoft.Resources)"
	case len(segs) >= 1 && strings.EqualFold(segs[0], "subscriptions"):
		return "subscriptions (Microsoft.Resources)"
	}
	return "path " + path
}

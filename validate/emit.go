package validate

import (
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// emitter collects the findings of one exchange, applying the configured
// severities, disabled rules, the findings cap and secret redaction.
type emitter struct {
	v           *Validator
	findings    []Finding
	secretDepth int // > 0 while inside a value whose property is secret by name
	capped      bool
}

func (e *emitter) add(f Finding) {
	cfg := &e.v.cfg
	if cfg.off != nil && cfg.off[f.Code] {
		return
	}
	if e.capped {
		return
	}
	if f.Severity == 0 {
		if r, ok := LookupRule(f.Code); ok {
			f.Severity = r.Severity
		} else {
			f.Severity = Error
		}
	}
	if s, ok := cfg.severity[f.Code]; ok {
		f.Severity = s
	}
	if cfg.maxFindings > 0 && len(e.findings) >= cfg.maxFindings {
		e.capped = true
		e.findings = append(e.findings, Finding{Code: CodeTooManyFindings, Severity: Warning, Direction: f.Direction, Part: f.Part,
			Pointer: f.Pointer, Offset: f.Offset,
			Message: "more than " + strconv.Itoa(cfg.maxFindings) + " findings in this exchange; the rest are not reported"})
		return
	}
	e.findings = append(e.findings, f)
}

// show renders a value for a message: quoted and shortened, or a redaction
// notice when the value belongs to a secret.
func (e *emitter) show(n *node, val string) string {
	if e.secretDepth > 0 || (n != nil && n.secret) {
		return "(secret value not shown)"
	}
	return quoteShort(val)
}

// quoteShort quotes s, keeping at most 64 runes of it.
func quoteShort(s string) string {
	const max = 64
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	i, n := 0, 0
	for i < len(s) && n < max {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return strconv.Quote(s[:i]) + "..."
}

// bstr views b as a string without copying. The string must not outlive the
// current check: the validator never retains it.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// typeNames renders a type mask: "string", "object or array", ...
func typeNames(t uint8) string {
	var names []string
	for _, x := range []struct {
		bit  uint8
		name string
	}{{tObject, "object"}, {tArray, "array"}, {tString, "string"}, {tNumber, "number"}, {tBoolean, "boolean"}} {
		if t&x.bit != 0 {
			names = append(names, x.name)
		}
	}
	if t&tInteger != 0 && t&tNumber == 0 {
		names = append(names, "integer")
	}
	if len(names) == 0 {
		return "any value"
	}
	return strings.Join(names, " or ")
}

// suggest returns the closest candidate to got, or "" when none is close.
func suggest(got string, candidates []string) string {
	best, bestDist := "", -1
	lg := strings.ToLower(got)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(lg, lc)
		if strings.HasPrefix(lc, lg) || strings.HasPrefix(lg, lc) {
			d = min(d, 1)
		}
		limit := 2
		if len(c) > 8 {
			limit = 3
		}
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suggestProperty renders "; did you mean \"x\"?" for an undeclared
// property close to a declared one.
func (e *emitter) suggestProperty(n *node, key []byte) string {
	names := make([]string, 0, len(n.props))
	for _, p := range n.props {
		names = append(names, p.name)
	}
	if s := suggest(string(key), names); s != "" {
		return "; did you mean " + strconv.Quote(s) + "?"
	}
	return ""
}

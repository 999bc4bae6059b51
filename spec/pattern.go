package spec

import (
	"fmt"
	"regexp"
	"time"

	"github.com/dlclark/regexp2"
)

// Pattern is a compiled ECMA-262 regular expression, as used by the
// "pattern" keyword of OpenAPI and JSON Schema. It is safe for concurrent use.
type Pattern struct {
	source string
	re     *regexp.Regexp  // set when Go's RE2 syntax accepts the pattern
	ecma   *regexp2.Regexp // set otherwise (lookaround, backreferences)
}

// patternTimeout bounds the backtracking engine so that a hostile value can
// never stall a request on a pathological pattern. The engine measures it
// with a coarse shared clock that a starved process can see jump, so a
// timeout is retried once before it counts as no match.
const patternTimeout = time.Second

// CompilePattern compiles an ECMA-262 pattern. Patterns that RE2 accepts with
// the same meaning use Go's linear-time engine; the others (lookahead,
// lookbehind, backreferences) use an ECMAScript-compatible backtracking engine,
// so no constraint is ever dropped.
func CompilePattern(source string) (*Pattern, error) {
	p := &Pattern{source: source}
	if re, err := regexp.Compile(source); err == nil && re2SameAsECMA(source) {
		p.re = re
		return p, nil
	}
	re, err := regexp2.Compile(source, regexp2.ECMAScript)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", source, err)
	}
	re.MatchTimeout = patternTimeout
	p.ecma = re
	return p, nil
}

// re2SameAsECMA reports whether RE2 gives source its ECMA-262 meaning. The
// constructs where the two disagree and RE2 still compiles are the escapes \s
// (Unicode space in ECMA, ASCII in RE2) and \d/\w are identical; \s is the only
// one that matters for the patterns Azure contracts use, so patterns using it
// go to the ECMA engine.
func re2SameAsECMA(source string) bool {
	for i := 0; i+1 < len(source); i++ {
		if source[i] == '\\' {
			switch source[i+1] {
			case 's', 'S', 'b', 'B':
				return false
			}
			i++
		}
	}
	return true
}

// MatchString reports whether s contains a match of the pattern. A match that
// exceeds the engine's time budget counts as no match.
func (p *Pattern) MatchString(s string) bool {
	if p.re != nil {
		return p.re.MatchString(s)
	}
	ok, err := p.ecma.MatchString(s)
	if err != nil {
		ok, err = p.ecma.MatchString(s)
	}
	return err == nil && ok
}

// String returns the pattern source as written in the contract.
func (p *Pattern) String() string { return p.source }

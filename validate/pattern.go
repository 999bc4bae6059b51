package validate

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// asciiDFA decides an RE2 pattern on ASCII text with one table lookup per
// byte, where regexp.MatchString runs an NFA or a backtracker: the patterns
// on path parameters (service and certificate names) are checked on every
// call. It is built from the same syntax.Prog regexp compiles, by subset
// construction over the 128 ASCII bytes, and gives regexp.MatchString's
// answer: whether the pattern matches anywhere in the text.
type asciiDFA struct {
	next  [][128]int16 // state × byte -> state; dfaMatched once a match is found
	final []bool       // whether a match ends at the end of the text in this state
}

const (
	dfaMatched   = -1
	dfaMaxStates = 256
)

// lazyDFA builds a pattern's automaton on first use: building one costs
// milliseconds, and most runs of the command line never meet most patterns.
type lazyDFA struct {
	source string
	once   sync.Once
	dfa    *patternDFA
}

// get returns the automaton, or nil when the pattern has none (or d is nil).
func (d *lazyDFA) get() *patternDFA {
	if d == nil {
		return nil
	}
	d.once.Do(func() { d.dfa = newPatternDFA(d.source) })
	return d.dfa
}

// patternDFA decides a pattern on ASCII text: main must match and none of
// not may (they come from the leading negative lookaheads of an ECMA-262
// pattern such as the DPS name ^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{2,49}[a-zA-Z0-9]$).
type patternDFA struct {
	main *asciiDFA
	not  []*asciiDFA
}

// newPatternDFA returns the automata deciding source as spec.Pattern does,
// or nil when source is outside what they can decide exactly: patterns that
// spec runs on Go's regexp (with the assertions ^ and $ only), and patterns
// made of ^, negative lookaheads, then a lookaround-free remainder, whose
// parts mean the same in ECMA-262 and RE2 on ASCII.
func newPatternDFA(source string) *patternDFA {
	if _, err := regexp.Compile(source); err == nil {
		if ecmaOnlyEscape(source) {
			return nil // spec runs it on its ECMAScript engine
		}
		if d := buildDFA(source); d != nil {
			return &patternDFA{main: d}
		}
		return nil
	}
	if !strings.HasPrefix(source, "^(?!") || ecmaOnlyEscape(source) {
		return nil
	}
	p := &patternDFA{}
	rest := source[1:]
	for strings.HasPrefix(rest, "(?!") {
		end := groupEnd(rest)
		if end < 0 || !sameOnASCII(rest[3:end]) {
			return nil
		}
		// (?!A) at the start holds when A does not match at position 0.
		d := buildDFA("^(?:" + rest[3:end] + ")")
		if d == nil {
			return nil
		}
		p.not = append(p.not, d)
		rest = rest[end+1:]
	}
	if topLevelBar(rest) || !sameOnASCII(rest) {
		return nil
	}
	if p.main = buildDFA("^" + rest); p.main == nil {
		return nil
	}
	return p
}

// match reports whether the pattern matches s; ok is false when s is not
// ASCII and the caller must ask spec.Pattern.
func (p *patternDFA) match(s string) (matched, ok bool) {
	if matched, ok = p.main.match(s); !ok || !matched {
		return matched, ok
	}
	for _, d := range p.not {
		if m, ok := d.match(s); !ok || m {
			return false, ok
		}
	}
	return true, true
}

// syntaxWalk calls visit with the index, byte and group depth of every
// byte of s that is pattern syntax: escaped bytes and the inside of
// character classes are skipped. It stops when visit returns true and
// returns that index, or -1.
func syntaxWalk(s string, visit func(i int, c byte, depth int) bool) int {
	depth, class := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
		default:
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
			}
			if visit(i, c, depth) {
				return i
			}
		}
	}
	return -1
}

// groupEnd returns the index of the parenthesis closing the group that
// opens s, or -1.
func groupEnd(s string) int {
	return syntaxWalk(s, func(_ int, c byte, depth int) bool { return c == ')' && depth == 0 })
}

// topLevelBar reports whether s has an alternation outside any group,
// which would take the lookaheads before it into one branch only.
func topLevelBar(s string) bool {
	return syntaxWalk(s, func(_ int, c byte, depth int) bool { return c == '|' && depth == 0 }) >= 0
}

// sameOnASCII reports whether a lookaround-free ECMA-262 fragment means
// what RE2 makes of it on ASCII text: no "." outside a class (ECMA's
// excludes \r too), no backreference or octal escape, no lookaround.
func sameOnASCII(s string) bool {
	class := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				return false
			}
			i++
		case class:
			class = c != ']'
		case c == '[':
			if strings.HasPrefix(s[i:], "[]") || strings.HasPrefix(s[i:], "[^]") {
				return false // empty and full classes in ECMA-262, a literal ] in RE2
			}
			class = true
		case c == '.':
			return false
		case c == '(' && strings.HasPrefix(s[i:], "(?") && !strings.HasPrefix(s[i:], "(?:"):
			return false
		}
	}
	return true
}

// buildDFA returns the automaton of an RE2 pattern, or nil when it uses
// assertions other than ^ and $ (text anchors), matches the empty text at
// its start (then it matches every text) or needs too many states.
func buildDFA(source string) *asciiDFA {
	re, err := syntax.Parse(source, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	b := &dfaBuilder{prog: prog, ids: map[string]int16{}, d: &asciiDFA{}}
	for _, in := range prog.Inst {
		if in.Op == syntax.InstEmptyWidth && syntax.EmptyOp(in.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
			return nil // line anchors and word boundaries depend on neighbours
		}
	}
	start, matched := b.closure([]uint32{uint32(prog.Start)}, true)
	if matched {
		return nil // matches the empty prefix: every text matches, nothing to speed up
	}
	if b.state(start, true) < 0 {
		return nil
	}
	for i := 0; i < len(b.sets); i++ {
		for c := 0; c < 128; c++ {
			var heads []uint32
			for _, pc := range b.sets[i] {
				if in := &prog.Inst[pc]; consumes(in, rune(c)) {
					heads = append(heads, in.Out)
				}
			}
			// A match may also start at the next position.
			heads = append(heads, uint32(prog.Start))
			set, matched := b.closure(heads, false)
			next := int16(dfaMatched)
			if !matched {
				if next = b.state(set, false); next < 0 {
					return nil
				}
			}
			b.d.next[i][c] = next
		}
	}
	return b.d
}

// ecmaOnlyEscape reports whether source uses an escape whose meaning
// differs between ECMA-262 and RE2 on ASCII (\s, \S, \b, \B): spec then runs
// the pattern on its ECMAScript engine, whose answer this automaton must not
// replace.
func ecmaOnlyEscape(source string) bool {
	for i := 0; i+1 < len(source); i++ {
		if source[i] == '\\' {
			if strings.IndexByte("sSbB", source[i+1]) >= 0 {
				return true
			}
			i++
		}
	}
	return false
}

func consumes(in *syntax.Inst, r rune) bool {
	switch in.Op {
	case syntax.InstRune, syntax.InstRune1:
		return in.MatchRune(r)
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	}
	return false
}

type dfaBuilder struct {
	prog *syntax.Prog
	sets [][]uint32 // the instruction set of each state
	ids  map[string]int16
	d    *asciiDFA
}

// closure follows the empty transitions from heads and returns the
// instructions that wait for a byte or for the end of the text, and whether
// a match instruction is reached. ^ holds only at the beginning.
func (b *dfaBuilder) closure(heads []uint32, begin bool) ([]uint32, bool) {
	seen := map[uint32]bool{}
	var out []uint32
	matched := false
	var visit func(pc uint32)
	visit = func(pc uint32) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			visit(in.Out)
			visit(in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			visit(in.Out)
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			if op&syntax.EmptyBeginText != 0 && !begin {
				return // can never hold again
			}
			if op&syntax.EmptyEndText != 0 {
				out = append(out, pc) // decided at the end of the text
				return
			}
			visit(in.Out)
		case syntax.InstMatch:
			matched = true
		case syntax.InstFail:
		default:
			out = append(out, pc)
		}
	}
	for _, pc := range heads {
		visit(pc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, matched
}

// state returns the id of the state for set, adding it when new; -1 when
// there would be too many states. The first state is kept apart because ^
// holds in it.
func (b *dfaBuilder) state(set []uint32, initial bool) int16 {
	key := []byte{'s'}
	if initial {
		key[0] = '^'
	}
	for _, pc := range set {
		key = strconv.AppendUint(append(key, ','), uint64(pc), 10)
	}
	if id, ok := b.ids[string(key)]; ok {
		return id
	}
	if len(b.sets) >= dfaMaxStates {
		return -1
	}
	id := int16(len(b.sets))
	b.ids[string(key)] = id
	b.sets = append(b.sets, set)
	b.d.next = append(b.d.next, [128]int16{})
	// At the end of the text: run the waiting $ instructions.
	final := false
	for _, pc := range set {
		if in := &b.prog.Inst[pc]; in.Op == syntax.InstEmptyWidth {
			if _, m := b.closureAtEnd(in.Out, initial); m {
				final = true
			}
		}
	}
	b.d.final = append(b.d.final, final)
	return id
}

// closureAtEnd is closure where $ holds too.
func (b *dfaBuilder) closureAtEnd(pc uint32, begin bool) ([]uint32, bool) {
	seen := map[uint32]bool{}
	matched := false
	var visit func(pc uint32)
	visit = func(pc uint32) {
		if seen[pc] || matched {
			return
		}
		seen[pc] = true
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			visit(in.Out)
			visit(in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			visit(in.Out)
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			if op&syntax.EmptyBeginText != 0 && !begin {
				return
			}
			visit(in.Out)
		case syntax.InstMatch:
			matched = true
		}
	}
	visit(pc)
	return nil, matched
}

// match reports whether the pattern matches s; ok is false when s is not
// ASCII and the caller must ask the regexp.
func (d *asciiDFA) match(s string) (matched, ok bool) {
	st := int16(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return false, false
		}
		if st = d.next[st][c]; st == dfaMatched {
			return true, true
		}
	}
	return d.final[st], true
}

// matchPattern applies n's pattern to v, on the automata when it has them
// and v is ASCII.
func (n *node) matchPattern(v string) bool {
	if d := n.dfa.get(); d != nil {
		if m, ok := d.match(v); ok {
			return m
		}
	}
	return n.pattern.MatchString(v)
}

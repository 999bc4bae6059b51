package validate

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkString applies the string keywords of n to the decoded value str.
func (s *scanner) checkString(n *node, str, raw []byte, at int) {
	if len(n.enum) == 0 && n.minLen < 0 && n.maxLen < 0 && n.pattern == nil && n.format == fmtNone {
		return // the common unconstrained string: nothing to check
	}
	c := check{em: s.em, dir: s.dir, part: PartBody, sc: s, offset: at}
	c.str(n, bstr(str))
}

// checkNumber applies the numeric keywords of n to the number text num.
func (s *scanner) checkNumber(n *node, num []byte, at int) {
	if len(n.enum) == 0 && n.format != fmtInt32 && n.format != fmtInt64 && !n.hasMin && !n.hasMax {
		return
	}
	c := check{em: s.em, dir: s.dir, part: PartBody, sc: s, offset: at}
	c.number(n, bstr(num))
}

// checkEnumRaw checks a boolean literal against an enum.
func (s *scanner) checkEnumRaw(n *node, lit string, at int) {
	if n == nil || len(n.enum) == 0 {
		return
	}
	c := check{em: s.em, dir: s.dir, part: PartBody, sc: s, offset: at}
	c.enum(n, lit)
}

// check carries where a value sits while its keywords are applied; the same
// checks serve body values and parameter and header values.
type check struct {
	em     *emitter
	dir    Direction
	part   Part
	name   string
	sc     *scanner // for body values: the pointer is computed only when a finding is made
	offset int
}

func (c *check) add(code string, n *node, msg string) {
	f := Finding{Code: code, Direction: c.dir, Part: c.part, Name: c.name, Offset: c.offset, Message: msg}
	if n != nil {
		f.SpecRef = n.ref
	}
	if c.sc != nil {
		f.Pointer = c.sc.pointer()
	}
	c.em.add(f)
}

func (c *check) subject() string {
	if c.part != PartBody && c.name != "" {
		return c.part.String() + " parameter " + strconv.Quote(c.name)
	}
	return "value"
}

func (c *check) str(n *node, v string) {
	if len(n.enum) > 0 {
		c.enum(n, v)
	}
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := utf8.RuneCountInString(v)
		if n.minLen >= 0 && l < n.minLen {
			c.add(CodeMinLength, n, c.subject()+" has "+strconv.Itoa(l)+" characters, fewer than the minimum of "+strconv.Itoa(n.minLen))
		}
		if n.maxLen >= 0 && l > n.maxLen {
			c.add(CodeMaxLength, n, c.subject()+" has "+strconv.Itoa(l)+" characters, more than the maximum of "+strconv.Itoa(n.maxLen))
		}
	}
	if n.pattern != nil && !n.matchPattern(v) {
		c.add(CodePattern, n, c.subject()+" "+c.em.show(n, v)+" does not match the pattern "+strconv.Quote(n.pattern.String()))
	}
	if n.format != fmtNone && n.format != fmtInt32 && n.format != fmtInt64 && !validFormat(n.format, v) {
		c.add(CodeInvalidFormat, n, c.subject()+" "+c.em.show(n, v)+" is not a valid "+n.format.String()+formatHint(n.format))
	}
}

func (c *check) number(n *node, num string) {
	if len(n.enum) > 0 {
		c.enum(n, num)
	}
	if n.format == fmtInt32 || n.format == fmtInt64 {
		bits := 32
		if n.format == fmtInt64 {
			bits = 64
		}
		if _, err := strconv.ParseInt(num, 10, bits); err != nil {
			ok := false
			if f, ferr := strconv.ParseFloat(num, 64); ferr == nil && strings.ContainsAny(num, ".eE") {
				lim := float64(uint64(1) << (bits - 1)) // 2^(bits-1); int64(1)<<63 would overflow
				ok = f >= -lim && f < lim
			}
			if !ok {
				c.add(CodeInvalidFormat, n, c.subject()+" "+c.em.show(n, num)+" is out of the "+n.format.String()+" range")
			}
		}
	}
	if n.hasMin || n.hasMax {
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return // beyond float64: range checked by format only
		}
		if n.hasMin && (f < n.min || n.exclMin && f == n.min) {
			c.add(CodeMinimum, n, c.subject()+" "+c.em.show(n, num)+" is below the minimum of "+strconv.FormatFloat(n.min, 'g', -1, 64))
		}
		if n.hasMax && (f > n.max || n.exclMax && f == n.max) {
			c.add(CodeMaximum, n, c.subject()+" "+c.em.show(n, num)+" is above the maximum of "+strconv.FormatFloat(n.max, 'g', -1, 64))
		}
	}
}

func (c *check) enum(n *node, v string) {
	for _, e := range n.enum {
		if e == v {
			return
		}
	}
	for _, e := range n.enum {
		if strings.EqualFold(e, v) {
			c.add(CodeEnumCaseMismatch, n, c.subject()+" "+c.em.show(n, v)+" differs only in case from the enum value "+strconv.Quote(e))
			return
		}
	}
	sev := Error
	kind := ""
	if n.enumOpen {
		kind = " (extensible enum"
		if n.enumName != "" {
			kind += " " + n.enumName
		}
		kind += ": the service may accept new values)"
		if !c.em.v.cfg.strictEnums {
			sev = Warning
		}
	} else if n.enumName != "" {
		kind = " (enum " + n.enumName + ")"
	}
	msg := c.subject() + " " + c.em.show(n, v) + " is not one of " + quoteList(n.enum) + kind
	if c.em.secretDepth == 0 && !n.secret {
		if sg := suggest(v, n.enum); sg != "" {
			msg += "; did you mean " + strconv.Quote(sg) + "?"
		}
	}
	f := Finding{Code: CodeEnumMismatch, Severity: sev, Direction: c.dir, Part: c.part, Name: c.name, Offset: c.offset, Message: msg, SpecRef: n.ref}
	if c.sc != nil {
		f.Pointer = c.sc.pointer()
	}
	c.em.add(f)
}

func quoteList(vals []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(v))
	}
	b.WriteByte(']')
	return b.String()
}

// scalar checks a parameter or header value, given as text, against n:
// the text is read as the schema's type first.
func (c *check) scalar(n *node, v string) {
	if n == nil {
		return
	}
	switch {
	case n.types == 0 || n.types&tString != 0:
		c.str(n, v)
	case n.types&(tInteger|tNumber) != 0:
		if !isJSONNumber(v) {
			c.add(CodeInvalidType, n, c.subject()+" "+c.em.show(n, v)+" is not "+article(typeNames(n.types)))
			return
		}
		if n.types&tNumber == 0 && strings.ContainsAny(v, ".eE") && !integralText([]byte(v)) {
			c.add(CodeInvalidType, n, c.subject()+" "+c.em.show(n, v)+" is not an integer")
			return
		}
		c.number(n, v)
	case n.types&tBoolean != 0:
		if v != "true" && v != "false" {
			c.add(CodeInvalidType, n, c.subject()+" "+c.em.show(n, v)+" is not a boolean (true or false)")
			return
		}
		if len(n.enum) > 0 {
			c.enum(n, v)
		}
	case n.types&tArray != 0:
		for _, item := range strings.Split(v, ",") {
			c.scalar(n.items, item)
		}
	}
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// isJSONNumber reports whether v is a number in JSON syntax.
func isJSONNumber(v string) bool {
	i := 0
	if i < len(v) && v[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(v) && v[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(v) && v[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(v)
}

package lint

import (
	"unicode/utf8"
)

// Pos is a position in a source file: a byte offset and the 1-based line and
// column (columns count Unicode code points).
type Pos struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Advance returns the position reached after reading b from p.
func (p Pos) Advance(b []byte) Pos {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == '\n' {
			p.Line++
			p.Column = 1
		} else {
			p.Column++
		}
		p.Offset += size
		b = b[size:]
	}
	return p
}

// PosAt computes the position of byte offset off in data.
func PosAt(data []byte, off int) Pos {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	return Pos{Line: 1, Column: 1}.Advance(data[:off])
}

// BodyKind says how a body is stored inside its file.
type BodyKind uint8

// The ways a body can be stored.
const (
	// BodyRaw: the body bytes are a verbatim slice of the file (a JSON value
	// embedded as-is, or the body of an .http request).
	BodyRaw BodyKind = iota + 1
	// BodyString: the body was a JSON string literal in the file; escapes
	// shift positions and Literal holds the literal as written.
	BodyString
	// BodyOpaque: the body was encoded (base64, an array of lines, ...);
	// every position inside it maps to the start of the encoded value.
	BodyOpaque
)

// BodySource records where a body sits in its file so that a byte offset in
// the body maps back to the file.
type BodySource struct {
	Kind BodyKind
	// Start is the position of the body's first byte (BodyRaw), of the
	// opening quote of the literal (BodyString), or of the encoded value
	// (BodyOpaque).
	Start Pos
	// Literal is the JSON string literal as written in the file, quotes
	// included (BodyString only).
	Literal []byte
}

// Locate maps byte offset off in body to a position in the file. Offsets
// beyond the body map to its end.
func (s BodySource) Locate(body []byte, off int) Pos {
	switch s.Kind {
	case BodyRaw:
		if off > len(body) {
			off = len(body)
		}
		if off < 0 {
			off = 0
		}
		return s.Start.Advance(body[:off])
	case BodyString:
		return s.locateInLiteral(off)
	default:
		return s.Start
	}
}

// locateInLiteral walks the literal, decoding escapes, until off decoded
// bytes have been produced.
func (s BodySource) locateInLiteral(off int) Pos {
	lit := s.Literal
	p := s.Start
	if len(lit) == 0 || lit[0] != '"' {
		return p
	}
	p = p.Advance(lit[:1])
	i := 1
	decoded := 0
	for i < len(lit)-1 && decoded < off {
		c := lit[i]
		n := 1 // bytes of the literal consumed
		d := 1 // bytes of the body produced
		if c == '\\' && i+1 < len(lit) {
			n = 2
			if lit[i+1] == 'u' && i+6 <= len(lit) {
				n = 6
				r := hex4(lit[i+2 : i+6])
				if r >= 0xD800 && r < 0xDC00 && i+12 <= len(lit) && lit[i+6] == '\\' && lit[i+7] == 'u' {
					n = 12
					d = 4
				} else {
					d = utf8.RuneLen(rune(r))
					if d < 0 {
						d = 3
					}
				}
			}
		} else if c >= utf8.RuneSelf {
			_, n = utf8.DecodeRune(lit[i:])
			d = n
		}
		p = p.Advance(lit[i : i+n])
		i += n
		decoded += d
	}
	return p
}

func hex4(b []byte) int {
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

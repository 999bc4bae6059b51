package validate

import (
	"time"
)

// validFormat reports whether v is valid for a string format.
func validFormat(f format, v string) bool {
	switch f {
	case fmtUUID:
		return validUUID(v)
	case fmtDateTime:
		return validDateTime(v)
	case fmtDate:
		return len(v) == 10 && validDate(v)
	case fmtRFC1123:
		return validRFC1123(v)
	case fmtByte:
		return validBase64(v)
	case fmtDuration:
		return validDuration(v)
	case fmtURI:
		return v != "" && !containsSpace(v)
	}
	return true
}

func formatHint(f format) string {
	switch f {
	case fmtUUID:
		return " (expected 8-4-4-4-12 hexadecimal digits)"
	case fmtDateTime:
		return " (expected RFC 3339, for example 2024-05-01T12:00:00Z)"
	case fmtDate:
		return " (expected YYYY-MM-DD)"
	case fmtRFC1123:
		return " (expected RFC 1123, for example Mon, 02 Jan 2006 15:04:05 GMT)"
	case fmtByte:
		return " (expected base64 with padding)"
	case fmtDuration:
		return " (expected an ISO 8601 duration, for example PT1H)"
	}
	return ""
}

func containsSpace(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' {
			return true
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func validUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if v[i] != '-' {
				return false
			}
		default:
			if !isHex(v[i]) {
				return false
			}
		}
	}
	return true
}

func digits(v string, n int) (int, bool) {
	if len(v) < n {
		return 0, false
	}
	x := 0
	for i := 0; i < n; i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int(c-'0')
	}
	return x, true
}

func validDate(v string) bool {
	y, ok1 := digits(v, 4)
	m, ok2 := digits(v[min(5, len(v)):], 2)
	d, ok3 := digits(v[min(8, len(v)):], 2)
	if !ok1 || !ok2 || !ok3 || v[4] != '-' || v[7] != '-' || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// validDateTime checks RFC 3339 date-time: date, "T", time with optional
// fraction, and "Z" or a numeric offset.
func validDateTime(v string) bool {
	if len(v) < 20 || !validDate(v[:10]) {
		return false
	}
	if t := v[10]; t != 'T' && t != 't' && t != ' ' {
		return false
	}
	h, ok1 := digits(v[11:], 2)
	mi, ok2 := digits(v[14:], 2)
	s, ok3 := digits(v[17:], 2)
	if !ok1 || !ok2 || !ok3 || v[13] != ':' || v[16] != ':' || h > 23 || mi > 59 || s > 60 {
		return false
	}
	rest := v[19:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	// A leap second (:60) exists only at 23:59 UTC (RFC 3339 section 5.7).
	leapOK := func(offset int) bool {
		return s < 60 || ((h*60+mi-offset)%1440+1440)%1440 == 23*60+59
	}
	switch {
	case rest == "Z" || rest == "z":
		return leapOK(0)
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:], 2)
		om, ok2 := digits(rest[4:], 2)
		offset := oh*60 + om
		if rest[0] == '-' {
			offset = -offset
		}
		return ok1 && ok2 && oh <= 23 && om <= 59 && leapOK(offset)
	}
	return false
}

func validRFC1123(v string) bool {
	if plainRFC1123(v) {
		return true
	}
	if _, err := time.Parse(time.RFC1123, v); err == nil {
		return true
	}
	_, err := time.Parse(time.RFC1123Z, v)
	return err == nil
}

// plainRFC1123 recognises, without allocating, the usual spelling
// "Mon, 02 Jan 2006 15:04:05 GMT" of a date that time.Parse accepts with
// time.RFC1123 (which allocates a zone for "GMT"). Anything else, including
// other valid spellings, is left to time.Parse.
func plainRFC1123(v string) bool {
	if len(v) != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
		v[19] != ':' || v[22] != ':' || v[25:] != " GMT" {
		return false
	}
	const weekdays, months = "MonTueWedThuFriSatSun", "JanFebMarAprMayJunJulAugSepOctNovDec"
	wd := false
	for i := 0; i < len(weekdays); i += 3 {
		wd = wd || v[:3] == weekdays[i:i+3]
	}
	m := 0
	for i := 0; i < len(months); i += 3 {
		if v[8:11] == months[i:i+3] {
			m = i/3 + 1
		}
	}
	d, ok1 := digits(v[5:], 2)
	y, ok2 := digits(v[12:], 4)
	h, ok3 := digits(v[17:], 2)
	mi, ok4 := digits(v[20:], 2)
	s, ok5 := digits(v[23:], 2)
	if !wd || m == 0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || h > 23 || mi > 59 || s > 59 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// validBase64 checks standard base64 with padding, as Swagger's "byte".
func validBase64(v string) bool {
	if len(v)%4 != 0 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case base64Alphabet[c]:
		case c == '=':
			// Padding: only in the last two positions, and nothing after it
			// but more padding.
			if i < len(v)-2 {
				return false
			}
			for j := i; j < len(v); j++ {
				if v[j] != '=' {
					return false
				}
			}
			return true
		default:
			return false
		}
	}
	return true
}

// base64Alphabet marks the 64 characters of standard base64.
var base64Alphabet = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = true
	}
	return t
}()

// validDuration checks the ISO 8601 duration shape PnYnMnDTnHnMnS (and PnW).
func validDuration(v string) bool {
	if len(v) < 2 || v[0] != 'P' {
		return false
	}
	inTime, any := false, false
	num := false
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9' || c == '.' || c == ',':
			num = true
		case c == 'T':
			if inTime || num {
				return false
			}
			inTime = true
		case !inTime && (c == 'Y' || c == 'M' || c == 'W' || c == 'D'), inTime && (c == 'H' || c == 'M' || c == 'S'):
			if !num {
				return false
			}
			num, any = false, true
		default:
			return false
		}
	}
	return any && !num
}

package lint

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// readRecording streams an Azure SDK test-proxy recording:
// {"Entries": [{"RequestUri", "RequestMethod", "RequestHeaders",
// "RequestBody", "StatusCode", "ResponseHeaders", "ResponseBody"}, ...],
// "Variables": {...}}. Entries are read one at a time, like HAR entries.
//
// Headers map a name to a string or to an array of strings (repeated
// headers). A body is read by recordingBody.
func readRecording(s *byteStream, opts *ReadOptions, e *emitter) error {
	env := newReadEnv(opts)
	var arena jsonArena // entries are parsed one at a time
	w := &arrayWalker{
		s:     s,
		path:  []string{"Entries"},
		match: strings.EqualFold,
		each: func(raw []byte, start Pos) error {
			d, err := parseJSONIn(&arena, raw, start, recordTreeDepth)
			if err != nil {
				return docSyntaxError(raw, start, err)
			}
			e.send(recordingEntry(d, env))
			return nil
		},
	}
	return w.walk("a test-proxy recording")
}

// recordingEntry turns one recording entry into an exchange.
func recordingEntry(d *jsonDoc, env *readEnv) *Exchange {
	rr := newRecordReader(d, env)
	root := d.Root
	if root.Kind != jsonObject {
		rr.problem(root, "the entry is %s, expected an object", root.Kind)
		return rr.x
	}
	method, mv := rr.text(root, "RequestMethod", "entry")
	u, uv := rr.text(root, "RequestUri", "entry")
	switch {
	case mv == nil || strings.TrimSpace(method) == "":
		if root.member("RequestMethod") == nil || mv != nil {
			rr.problem(root, "the entry has no RequestMethod")
		}
	case uv == nil:
		if root.member("RequestUri") == nil {
			rr.problem(root, "the entry has no RequestUri")
		}
	default:
		method = strings.ToUpper(strings.TrimSpace(method))
		h := rr.headerMap(root, "RequestHeaders", "entry", validate.InRequest)
		r := &validate.Request{Method: method, URL: u, Header: h}
		if bv := root.get("RequestBody"); bv != nil {
			r.Body, rr.x.RequestBody = rr.recordingBody(bv, h)
		}
		rr.x.Request = r
		urlSpots(rr.x, rr.env, method, u, rr.stringLocator(uv))
	}
	status, sv := rr.status(root, "StatusCode", "entry")
	switch {
	case sv == nil:
		if root.member("StatusCode") == nil {
			rr.problem(root, "the entry has no StatusCode")
		}
	case status < 100 || status > 599:
		rr.problem(sv, "entry.StatusCode %d is not an HTTP status code", status)
	default:
		h := rr.headerMap(root, "ResponseHeaders", "entry", validate.InResponse)
		r := &validate.Response{StatusCode: status, Header: h}
		if bv := root.get("ResponseBody"); bv != nil {
			r.Body, rr.x.ResponseBody = rr.recordingBody(bv, h)
		}
		rr.spot(validate.InResponse, validate.PartStatus, "", sv)
		rr.x.Response = r
	}
	return rr.x
}

// recordingBody reads a recorded body the way the test proxy writes them:
//
//   - null: no body;
//   - an object, number or boolean: a JSON body embedded as-is (BodyRaw);
//   - an array: a JSON body embedded as-is, unless every item is a string
//     and the message's Content-Type is not JSON, in which case the items
//     are the lines of a text body, joined with "\n" (BodyOpaque);
//   - a string: the body text (BodyString), except that a string that is
//     not itself valid JSON but is canonical padded base64 (only
//     A-Z a-z 0-9 + /, length a multiple of 4) decoding to a JSON object or
//     array is taken to be an encoded JSON body and decoded (BodyOpaque).
//     So "1234" stays the JSON number 1234, and "Sanitized" stays text.
func (rr *recordReader) recordingBody(v *jsonValue, h http.Header) ([]byte, BodySource) {
	switch v.Kind {
	case jsonNull:
		return nil, BodySource{}
	case jsonString:
		s := rr.d.strBytes(v)
		if _, err := parseJSON(s, Pos{}, 0); err != nil && isCanonicalBase64(s) {
			dec := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
			if n, err := base64.StdEncoding.Decode(dec, s); err == nil {
				dec = dec[:n]
				t := bytes.TrimSpace(dec)
				if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
					if _, err := parseJSON(dec, Pos{}, 0); err == nil {
						return dec, BodySource{Kind: BodyOpaque, Start: rr.d.pos(v.Start)}
					}
				}
			}
		}
		return rr.stringBody(v)
	case jsonArray:
		if lines, ok := rr.stringItems(v); ok && !isJSONContentType(h.Get("Content-Type")) {
			return []byte(strings.Join(lines, "\n")), BodySource{Kind: BodyOpaque, Start: rr.d.pos(v.Start)}
		}
	}
	return rr.rawBody(v)
}

// stringItems returns the items of an array when all are strings.
func (rr *recordReader) stringItems(v *jsonValue) ([]string, bool) {
	if v.Items == nil && v.End-v.Start > 2 {
		return nil, false // not expanded: too deep to be a list of lines
	}
	lines := make([]string, 0, len(v.Items))
	for _, it := range v.Items {
		if it.Kind != jsonString {
			return nil, false
		}
		lines = append(lines, rr.d.str(it))
	}
	return lines, true
}

// isCanonicalBase64 reports whether s is padded standard base64 of at least
// four characters.
func isCanonicalBase64(s []byte) bool {
	if len(s) < 4 || len(s)%4 != 0 {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
		case c == '=' && i >= len(s)-2:
			if i == len(s)-2 && s[len(s)-1] != '=' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isJSONContentType reports whether a Content-Type names JSON
// (application/json, application/merge-patch+json, text/json, ...).
func isJSONContentType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
}

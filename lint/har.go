package lint

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// readHAR streams a HAR 1.2 file: log.entries[] are read one at a time, so
// memory is bounded by the largest entry whatever the size of the file.
// Every entry becomes an exchange; an entry with fields of the wrong type
// carries an INVALID_INPUT problem and reading goes on. A JSON syntax error
// or a truncated file stops the reading with an InputError at the place it
// broke, after the entries before it were emitted.
func readHAR(s *byteStream, opts *ReadOptions, e *emitter) error {
	env := newReadEnv(opts) // without contracts, path parameters just get no spots
	var arena jsonArena     // entries are parsed one at a time
	w := &arrayWalker{
		s:     s,
		path:  []string{"log", "entries"},
		match: func(k, want string) bool { return k == want },
		each: func(raw []byte, start Pos) error {
			d, err := parseJSONIn(&arena, raw, start, recordTreeDepth)
			if err != nil {
				return docSyntaxError(raw, start, err)
			}
			e.send(harEntry(d, env))
			return nil
		},
	}
	return w.walk("a HAR file")
}

// harEntry turns one parsed HAR entry into an exchange: request.method,
// url, headers[] (repeated names give several values; HTTP/2
// pseudo-headers are dropped), postData.text; response.status, headers[],
// content.text (decoded when content.encoding is "base64"). A status of 0
// (a request that got no response) gives no response.
func harEntry(d *jsonDoc, env *readEnv) *Exchange {
	rr := newRecordReader(d, env)
	root := d.Root
	if root.Kind != jsonObject {
		rr.problem(root, "the entry is %s, expected an object", root.Kind)
		return rr.x
	}
	if req := rr.field(root, "request", "entry", jsonObject); req != nil {
		rr.harRequest(req)
	} else if root.member("request") == nil {
		rr.problem(nil, "the entry has no \"request\"")
	}
	if resp := rr.field(root, "response", "entry", jsonObject); resp != nil {
		rr.harResponse(resp)
	}
	return rr.x
}

func (rr *recordReader) harRequest(req *jsonValue) {
	method, mv := rr.text(req, "method", "request")
	u, uv := rr.text(req, "url", "request")
	if mv == nil || strings.TrimSpace(method) == "" {
		if req.member("method") == nil || mv != nil {
			rr.problem(req, "the request has no method")
		}
		return
	}
	if uv == nil {
		if req.member("url") == nil {
			rr.problem(req, "the request has no url")
		}
		return
	}
	method = strings.ToUpper(strings.TrimSpace(method))
	h := rr.harHeaders(req, "request", validate.InRequest)
	r := &validate.Request{Method: method, URL: u, Header: h}
	if pd := rr.field(req, "postData", "request", jsonObject); pd != nil {
		mime, _ := rr.text(pd, "mimeType", "request.postData")
		setContentType(h, mime)
		if tv := rr.field(pd, "text", "request.postData", jsonString); tv != nil {
			enc, _ := rr.text(pd, "encoding", "request.postData")
			body, src, ok := rr.harText(tv, enc, "request.postData.text")
			if ok {
				r.Body, rr.x.RequestBody = body, src
			} else {
				// The request still routes the response, but is not
				// validated with a body that could not be read.
				rr.x.ResponseOnly = true
			}
		}
	}
	rr.x.Request = r
	urlSpots(rr.x, rr.env, method, u, rr.stringLocator(uv))
}

func (rr *recordReader) harResponse(resp *jsonValue) {
	status, sv := rr.status(resp, "status", "response")
	if sv == nil {
		if resp.member("status") == nil {
			rr.problem(resp, "the response has no status")
		}
		return
	}
	if status == 0 {
		return // no response was received (a failed or blocked request)
	}
	if status < 100 || status > 599 {
		rr.problem(sv, "response.status %d is not an HTTP status code", status)
		return
	}
	h := rr.harHeaders(resp, "response", validate.InResponse)
	r := &validate.Response{StatusCode: status, Header: h}
	if c := rr.field(resp, "content", "response", jsonObject); c != nil {
		mime, _ := rr.text(c, "mimeType", "response.content")
		setContentType(h, mime)
		if tv := rr.field(c, "text", "response.content", jsonString); tv != nil {
			enc, _ := rr.text(c, "encoding", "response.content")
			body, src, ok := rr.harText(tv, enc, "response.content.text")
			if !ok {
				return // the problem says why the response is not validated
			}
			r.Body, rr.x.ResponseBody = body, src
		}
	}
	rr.spot(validate.InResponse, validate.PartStatus, "", sv)
	rr.x.Response = r
}

// harHeaders reads a HAR header list: [{"name": ..., "value": ...}].
func (rr *recordReader) harHeaders(msg *jsonValue, where string, dir validate.Direction) http.Header {
	h := http.Header{}
	v := rr.field(msg, "headers", where, jsonArray)
	if v == nil {
		return h
	}
	for i, it := range v.Items {
		at := where + ".headers[" + strconv.Itoa(i) + "]"
		if it.Kind != jsonObject {
			rr.problem(it, "%s is %s, expected an object with name and value", at, it.Kind)
			continue
		}
		name, nv := rr.text(it, "name", at)
		value, vv := rr.text(it, "value", at)
		if nv == nil {
			if it.member("name") == nil {
				rr.problem(it, "%s has no name", at)
			}
			continue
		}
		if strings.HasPrefix(name, ":") || name == "" {
			continue // HTTP/2 pseudo-header
		}
		h.Add(name, value)
		if vv != nil {
			rr.spot(dir, validate.PartHeader, name, vv)
		} else {
			rr.spot(dir, validate.PartHeader, name, nv)
		}
	}
	return h
}

// harText returns a HAR text field as a body: nil for "", decoded for
// encoding "base64" (BodyOpaque; a bad encoding is a problem and ok is
// false), else the string itself.
func (rr *recordReader) harText(tv *jsonValue, encoding, where string) ([]byte, BodySource, bool) {
	if tv.End-tv.Start <= 2 {
		return nil, BodySource{}, true
	}
	if strings.EqualFold(encoding, "base64") {
		b, err := decodeBase64(rr.d.str(tv))
		if err != nil {
			rr.problem(tv, "%s is not valid base64 (content.encoding is \"base64\"): %v", where, err)
			return nil, BodySource{}, false
		}
		return b, BodySource{Kind: BodyOpaque, Start: rr.d.pos(tv.Start)}, true
	}
	body, src := rr.stringBody(tv)
	return body, src, true
}

// decodeBase64 decodes standard base64, padded or not; line breaks are
// ignored.
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return b, nil
	}
	if b2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err2 == nil {
		return b2, nil
	}
	return nil, err
}

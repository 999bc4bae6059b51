package lint

import (
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// readTraffic reads oav's traffic format: one record
// {"liveRequest": {"method", "url", "headers", "body"}, "liveResponse":
// {"statusCode", "headers", "body"}}, or an array of such records. A body is
// a JSON value embedded as-is or a string holding the JSON text; statusCode
// is a number or a string of digits.
func readTraffic(data []byte, base Pos, opts *ReadOptions, e *emitter) error {
	a := getArena()
	defer putArena(a)
	d, err := parseJSONIn(a, data, base, recordTreeDepth)
	if err != nil {
		return docSyntaxError(data, base, err)
	}
	env := newReadEnv(opts)
	switch d.Root.Kind {
	case jsonObject:
		e.send(trafficRecord(d, d.Root, env))
	case jsonArray:
		for _, it := range d.Root.Items {
			e.send(trafficRecord(d, it, env))
		}
	default:
		return &InputError{Code: validate.CodeInvalidInput, Pos: d.pos(d.Root.Start),
			Message: "not a traffic file: the top-level value is " + d.Root.Kind.String() + ", expected an object with liveRequest and liveResponse"}
	}
	return nil
}

// trafficRecord turns one liveRequest/liveResponse record into an exchange.
func trafficRecord(d *jsonDoc, v *jsonValue, env *readEnv) *Exchange {
	rr := newRecordReaderAt(d, v, env)
	if v.Kind != jsonObject {
		rr.problem(v, "the record is %s, expected an object with liveRequest and liveResponse", v.Kind)
		return rr.x
	}
	req := rr.field(v, "liveRequest", "record", jsonObject)
	resp := rr.field(v, "liveResponse", "record", jsonObject)
	if v.member("liveRequest") == nil && v.member("liveResponse") == nil {
		rr.problem(v, "the record has neither liveRequest nor liveResponse")
		return rr.x
	}
	if req != nil {
		rr.trafficRequest(req)
	}
	if resp != nil {
		status, sv := rr.status(resp, "statusCode", "liveResponse")
		switch {
		case sv == nil:
			if resp.member("statusCode") == nil {
				rr.problem(resp, "liveResponse has no statusCode")
			}
		case status < 100 || status > 599:
			rr.problem(sv, "liveResponse.statusCode %d is not an HTTP status code", status)
		default:
			r := &validate.Response{StatusCode: status, Header: rr.headerMap(resp, "headers", "liveResponse", validate.InResponse)}
			if bv := resp.get("body"); bv != nil {
				r.Body, rr.x.ResponseBody = rr.jsonOrStringBody(bv)
			}
			rr.spot(validate.InResponse, validate.PartStatus, "", sv)
			rr.x.Response = r
		}
	}
	return rr.x
}

func (rr *recordReader) trafficRequest(req *jsonValue) {
	method, mv := rr.text(req, "method", "liveRequest")
	u, uv := rr.text(req, "url", "liveRequest")
	if mv == nil || strings.TrimSpace(method) == "" {
		if req.member("method") == nil || mv != nil {
			rr.problem(req, "liveRequest has no method")
		}
		return
	}
	if uv == nil {
		if req.member("url") == nil {
			rr.problem(req, "liveRequest has no url")
		}
		return
	}
	method = strings.ToUpper(strings.TrimSpace(method))
	r := &validate.Request{Method: method, URL: u, Header: rr.headerMap(req, "headers", "liveRequest", validate.InRequest)}
	if bv := req.get("body"); bv != nil {
		r.Body, rr.x.RequestBody = rr.jsonOrStringBody(bv)
	}
	rr.x.Request = r
	urlSpots(rr.x, rr.env, method, u, rr.stringLocator(uv))
}

// jsonOrStringBody returns a body given as a JSON value (kept verbatim) or
// as a string holding the body text (decoded); null is no body.
func (rr *recordReader) jsonOrStringBody(v *jsonValue) ([]byte, BodySource) {
	switch v.Kind {
	case jsonNull:
		return nil, BodySource{}
	case jsonString:
		return rr.stringBody(v)
	}
	return rr.rawBody(v)
}

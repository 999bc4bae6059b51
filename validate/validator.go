package validate

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/contractlint/contractlint/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// Validator checks exchanges against the contracts of a registry. It is
// immutable once built and safe for concurrent use.
type Validator struct {
	reg  *spec.Registry
	cfg  config
	ops  map[*spec.Operation]*compiledOp
	pool sync.Pool // *scanner
}

type compiledOp struct {
	op           *spec.Operation
	params       []compiledParam
	body         *node
	bodyRequired bool
	bodyName     string
	bodyRef      string
	responses    []compiledResp
	def          *compiledResp
}

type compiledParam struct {
	p      *spec.Parameter
	node   *node
	header string // canonical header key
	secret bool   // named like a credential: its value is never shown
}

type compiledResp struct {
	r       *spec.Response
	body    *node
	headers []compiledHeader
}

type compiledHeader struct {
	h    *spec.Header
	node *node
}

// New builds a validator over every operation of reg, compiling every schema
// and pattern once. It fails when a contract holds a pattern that cannot be
// compiled.
func New(reg *spec.Registry, opts ...Option) (*Validator, error) {
	if reg == nil {
		return nil, errors.New("validate: nil registry")
	}
	v := &Validator{reg: reg, cfg: defaultConfig(), ops: map[*spec.Operation]*compiledOp{}}
	for _, o := range opts {
		o(&v.cfg)
	}
	for _, c := range reg.Contracts() {
		comp := &compiler{source: c.Source, memo: map[*openapi3.Schema]*node{}}
		for _, op := range c.Operations {
			v.ops[op] = compileOp(comp, op)
		}
		if comp.err != nil {
			return nil, comp.err
		}
	}
	v.pool.New = func() any { return &scanner{} }
	return v, nil
}

// Registry returns the registry the validator was built over.
func (v *Validator) Registry() *spec.Registry { return v.reg }

func compileOp(c *compiler, op *spec.Operation) *compiledOp {
	co := &compiledOp{op: op}
	for _, p := range op.Params {
		cp := compiledParam{p: p, node: c.schema(p.Schema, p.Ref), secret: credentialName(p.Name)}
		if p.In == "header" {
			cp.header = http.CanonicalHeaderKey(p.Name)
		}
		co.params = append(co.params, cp)
	}
	if b := op.Body; b != nil {
		co.body = c.schema(b.Schema, b.Ref)
		co.bodyRequired = b.Required
		co.bodyName = b.Name
		co.bodyRef = b.Ref
	}
	compileResp := func(r *spec.Response) compiledResp {
		cr := compiledResp{r: r, body: c.schema(r.Schema, r.SchemaRef)}
		for _, h := range r.Headers {
			cr.headers = append(cr.headers, compiledHeader{h: h, node: c.schema(h.Schema, h.Ref)})
		}
		return cr
	}
	for _, r := range op.Responses {
		co.responses = append(co.responses, compileResp(r))
	}
	if op.Default != nil {
		d := compileResp(op.Default)
		co.def = &d
	}
	return co
}

// Request validates a request.
func (v *Validator) Request(req *Request) Result {
	return v.Validate(&Exchange{Request: req})
}

// Response validates a response; req is used only to route it.
func (v *Validator) Response(req *Request, resp *Response) Result {
	return v.Validate(&Exchange{Request: req, Response: resp, ResponseOnly: true})
}

// Validate checks an exchange and returns every finding.
func (v *Validator) Validate(ex *Exchange) Result {
	em := emitter{v: v}
	var res Result
	op := ex.Operation
	var match *spec.Match
	if op == nil {
		if ex.Request == nil {
			em.add(Finding{Code: CodeUnresolvedOperation, Part: PartRoute, Offset: -1, Message: "no request to route and no operation given"})
			res.Findings = em.findings
			return res
		}
		m, err := v.reg.Route(ex.Request.Method, ex.Request.URL)
		if err != nil {
			res.Skipped = routeFinding(&em, err)
			if res.Skipped {
				var re *spec.RouteError
				if errors.As(err, &re) {
					res.SkipReason = "no contract for " + re.Resource
				} else {
					res.SkipReason = err.Error()
				}
			}
			res.Findings = em.findings
			return res
		}
		match, op = m, m.Operation
	}
	res.OperationID, res.APIVersion, res.op = op.ID, op.Contract.APIVersion, op
	co := v.ops[op]
	if co == nil {
		em.add(Finding{Code: CodeUnresolvedOperation, Part: PartRoute, Offset: -1, Message: "operation " + strconv.Quote(op.ID) + " is not in the validator's registry"})
		res.Findings = em.findings
		return res
	}
	sc := v.pool.Get().(*scanner)
	if ex.Request != nil && !ex.ResponseOnly {
		if !ex.BodyOnly {
			v.checkParams(&em, co, ex.Request, match)
		}
		v.checkRequestBody(&em, sc, co, ex.Request)
	}
	if ex.Response != nil {
		v.checkResponse(&em, sc, co, ex.Response, ex.BodyOnly)
	}
	sc.data = nil
	v.pool.Put(sc)
	res.Findings = em.findings
	return res
}

// routeFinding turns a routing miss into a finding; it reports whether the
// call was skipped (no contract covers it).
func routeFinding(em *emitter, err error) bool {
	var re *spec.RouteError
	if !errors.As(err, &re) {
		em.add(Finding{Code: CodeOperationNotFound, Part: PartRoute, Offset: -1, Message: err.Error()})
		return true
	}
	code := CodeOperationNotFound
	switch re.Kind {
	case spec.NoAPIVersion:
		code = CodeMissingAPIVersion
	case spec.UnsupportedAPIVersion:
		code = CodeAPIVersionUnsupported
	case spec.MethodNotAllowed:
		code = CodeMethodNotAllowed
	}
	em.add(Finding{Code: code, Direction: InRequest, Part: PartRoute, Offset: -1, Message: re.Error()})
	return re.Kind == spec.NoContract
}

func (v *Validator) checkParams(em *emitter, co *compiledOp, req *Request, match *spec.Match) {
	_, query := splitQuery(req.URL)
	for i := range co.params {
		cp := &co.params[i]
		p := cp.p
		var val string
		var ok bool
		var part Part
		switch p.In {
		case "path":
			part = PartPath
			if match != nil {
				val, ok = match.SegmentValue(p.Segment), true
			} else {
				continue // no URL to read path parameters from
			}
		case "query":
			part = PartQuery
			val, ok = spec.QueryValue(query, p.Name)
		case "header":
			part = PartHeader
			if vals := req.Header[cp.header]; len(vals) > 0 {
				val, ok = vals[0], true
			} else if vals := headerFold(req.Header, p.Name); vals != nil {
				val, ok = vals[0], true
			}
		default:
			continue
		}
		c := check{em: em, dir: InRequest, part: part, name: p.Name, offset: -1}
		// An empty path segment counts as a missing parameter, unless the
		// parameter has a minimum length (then MIN_LENGTH is more specific).
		// A query parameter or header that is present but empty (DPS polling
		// URLs end in "&asyncinfo") is present: its schema decides.
		empty := val == "" && p.In == "path" && (cp.node == nil || cp.node.minLen <= 0)
		if !ok || empty {
			if p.Required {
				em.add(Finding{Code: CodeMissingRequiredParameter, Direction: InRequest, Part: part, Name: p.Name, Offset: -1, SpecRef: p.Ref,
					Message: "required " + part.String() + " parameter " + strconv.Quote(p.Name) + " is missing"})
			}
			continue
		}
		if cp.secret {
			em.secretDepth++
			c.scalar(cp.node, val)
			em.secretDepth--
			continue
		}
		c.scalar(cp.node, val)
	}
}

// headerFold finds a header whose key is not in canonical form (a map built
// by hand rather than by net/http).
func headerFold(h http.Header, name string) []string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v
		}
	}
	return nil
}

func splitQuery(raw string) (string, string) {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	path, query, _ := strings.Cut(raw, "?")
	return path, query
}

func (v *Validator) checkRequestBody(em *emitter, sc *scanner, co *compiledOp, req *Request) {
	if co.op.Body == nil {
		return
	}
	if len(req.Body) == 0 || onlySpace(req.Body) {
		if co.bodyRequired {
			name := co.bodyName
			if name == "" {
				name = "body"
			}
			em.add(Finding{Code: CodeMissingRequiredParameter, Direction: InRequest, Part: PartBody, Name: name, Offset: -1, SpecRef: co.bodyRef,
				Message: "the required request body " + strconv.Quote(name) + " is missing"})
		}
		return
	}
	if !v.contentTypeOK(em, InRequest, req.Header, co.op.Body.ContentTypes) {
		return
	}
	v.scanBody(em, sc, InRequest, req.Body, co.body)
}

func (v *Validator) scanBody(em *emitter, sc *scanner, dir Direction, body []byte, n *node) {
	if v.cfg.maxBody > 0 && len(body) > v.cfg.maxBody {
		em.add(Finding{Code: CodeBodyTooLarge, Direction: dir, Part: PartBody, Offset: -1,
			Message: "the " + dir.String() + " body has " + strconv.Itoa(len(body)) + " bytes, more than the limit of " + strconv.Itoa(v.cfg.maxBody) + "; it was not validated"})
		return
	}
	sc.reset(body, dir, em)
	sc.run(n)
}

func onlySpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// contentTypeOK reports INVALID_CONTENT_TYPE when a body is labelled with a
// media type that is not JSON; it returns whether the body should be parsed.
func (v *Validator) contentTypeOK(em *emitter, dir Direction, h http.Header, declared []string) bool {
	ct := ""
	if vals := h["Content-Type"]; len(vals) > 0 {
		ct = vals[0]
	} else if vals := headerFold(h, "Content-Type"); vals != nil {
		ct = vals[0]
	}
	if ct == "" || isJSONMediaType(ct) {
		return true
	}
	want := "application/json"
	if len(declared) > 0 {
		want = strings.Join(declared, ", ")
	}
	em.add(Finding{Code: CodeInvalidContentType, Direction: dir, Part: PartHeader, Name: "Content-Type", Offset: -1,
		Message: "Content-Type " + strconv.Quote(ct) + " is not a JSON media type; the operation declares " + want})
	return false
}

func isJSONMediaType(ct string) bool {
	mt := ct
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.TrimSpace(mt)
	if strings.EqualFold(mt, "application/json") || strings.EqualFold(mt, "text/json") {
		return true
	}
	if len(mt) > 5 && strings.EqualFold(mt[len(mt)-5:], "+json") {
		return true
	}
	if parsed, _, err := mime.ParseMediaType(ct); err == nil {
		return parsed == "application/json" || strings.HasSuffix(parsed, "+json")
	}
	return false
}

// lroCodes lists the 2xx statuses the Azure long-running pattern allows per method.
func lroAllowed(method string, status int) bool {
	switch method {
	case http.MethodPut, http.MethodPatch:
		return status == 200 || status == 201 || status == 202
	case http.MethodDelete:
		return status == 200 || status == 202 || status == 204
	case http.MethodPost:
		return status == 200 || status == 201 || status == 202 || status == 204
	}
	return true
}

func (v *Validator) checkResponse(em *emitter, sc *scanner, co *compiledOp, resp *Response, bodyOnly bool) {
	op := co.op
	status := resp.StatusCode
	var cr *compiledResp
	for i := range co.responses {
		if co.responses[i].r.Status == status {
			cr = &co.responses[i]
			break
		}
	}
	if cr == nil && status >= 400 && co.def != nil {
		cr = co.def
	}
	if cr == nil {
		declared := make([]string, 0, len(co.responses)+1)
		for _, r := range co.responses {
			declared = append(declared, strconv.Itoa(r.r.Status))
		}
		if co.def != nil {
			declared = append(declared, "default (4xx/5xx)")
		}
		em.add(Finding{Code: CodeInvalidResponseCode, Direction: InResponse, Part: PartStatus, Offset: -1, SpecRef: op.Ref + "/responses",
			Message: "status " + strconv.Itoa(status) + " is not declared by " + op.ID + "; declared: " + strings.Join(declared, ", ")})
		return
	}
	if op.LongRunning && status >= 200 && status < 300 {
		if !lroAllowed(op.Method, status) {
			em.add(Finding{Code: CodeLROResponseCode, Direction: InResponse, Part: PartStatus, Offset: -1, SpecRef: op.Ref,
				Message: "long-running " + op.Method + " " + op.ID + " answered " + strconv.Itoa(status) + ", which the Azure long-running pattern does not allow"})
		}
		if status == 202 && !bodyOnly && len(resp.Header.Values("Location")) == 0 && len(resp.Header.Values("Azure-AsyncOperation")) == 0 &&
			headerFold(resp.Header, "Location") == nil && headerFold(resp.Header, "Azure-AsyncOperation") == nil {
			em.add(Finding{Code: CodeLROResponseHeader, Direction: InResponse, Part: PartHeader, Offset: -1, SpecRef: op.Ref,
				Message: "202 from long-running " + op.ID + " has neither a Location nor an Azure-AsyncOperation header to poll"})
		}
	}
	if !bodyOnly {
		for i := range cr.headers {
			ch := &cr.headers[i]
			vals := resp.Header[ch.h.Name]
			if len(vals) == 0 {
				vals = headerFold(resp.Header, ch.h.Name)
			}
			if len(vals) == 0 {
				em.add(Finding{Code: CodeInvalidResponseHeader, Direction: InResponse, Part: PartHeader, Name: ch.h.Declared, Offset: -1, SpecRef: ch.h.Ref,
					Message: "declared response header " + strconv.Quote(ch.h.Declared) + " is missing from the " + strconv.Itoa(status) + " response"})
				continue
			}
			c := check{em: em, dir: InResponse, part: PartHeader, name: ch.h.Declared, offset: -1}
			c.scalar(ch.node, vals[0])
		}
	}
	if cr.r.Schema == nil {
		return
	}
	if len(resp.Body) == 0 || onlySpace(resp.Body) {
		if op.Method != http.MethodHead {
			em.add(Finding{Code: CodeInvalidResponseBody, Direction: InResponse, Part: PartBody, Offset: -1, SpecRef: cr.r.SchemaRef,
				Message: "the " + strconv.Itoa(status) + " response declares a body but has none"})
		}
		return
	}
	if !v.contentTypeOK(em, InResponse, resp.Header, cr.r.ContentTypes) {
		return
	}
	v.scanBody(em, sc, InResponse, resp.Body, cr.body)
	if cr.body != nil && cr.body.resource && !sc.synErr && !sc.rootHasID && status >= 200 && status < 300 &&
		(op.Method == http.MethodGet || op.Method == http.MethodPut || op.Method == http.MethodPatch) && startsObject(resp.Body) {
		em.add(Finding{Code: CodeMissingResourceID, Direction: InResponse, Part: PartBody, Offset: 0, SpecRef: cr.body.ref,
			Message: "the resource returned by " + op.ID + " has no \"id\""})
	}
}

func startsObject(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

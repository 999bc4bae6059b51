package validate

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/contractlint/contractlint/spec"
)

// Mode says what the middleware does with a call that breaks its contract.
type Mode uint8

// The middleware modes.
const (
	// Enforce rejects a request with error findings before it reaches the
	// handler (400, or 413 when its body is larger than the limit) and
	// replaces a response with error findings by a 502. Warnings pass.
	Enforce Mode = iota + 1
	// Report lets every request and response through unchanged and only
	// reports the findings.
	Report
)

// String returns "enforce" or "report".
func (m Mode) String() string {
	switch m {
	case Enforce:
		return "enforce"
	case Report:
		return "report"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode parses "enforce" or "report", case-insensitively.
func ParseMode(name string) (Mode, error) {
	switch strings.ToLower(name) {
	case "enforce":
		return Enforce, nil
	case "report":
		return Report, nil
	}
	return 0, errors.New("unknown mode " + strconv.Quote(name) + " (want enforce or report)")
}

// ReportFunc receives the result of each validation the middleware makes:
// once for the request and, when responses are validated, once more for the
// response (Finding.Direction tells them apart). It is called for every
// validated call, with or without findings, from the goroutine serving the
// request, and may keep res.
type ReportFunc func(r *http.Request, res Result)

// Rejection says why the middleware refuses a call.
type Rejection struct {
	// Status is http.StatusBadRequest for a request with error findings (or
	// with no contract, under WithRejectSkipped),
	// http.StatusRequestEntityTooLarge for a request body over the limit and
	// http.StatusBadGateway for a response with error findings.
	Status int
	// Result holds the findings that caused the rejection.
	Result Result
}

// ErrorHandler writes the response for a rejected call. The default is
// WriteRejection. For a rejected response nothing has been sent yet: the
// handler's status, headers and body were held back and are discarded.
type ErrorHandler func(w http.ResponseWriter, r *http.Request, rej *Rejection)

// MiddlewareOption configures NewMiddleware.
type MiddlewareOption func(*middlewareConfig)

type middlewareConfig struct {
	mode          Mode
	responses     bool
	maxBody       int
	skip          func(*http.Request) bool
	onReject      ErrorHandler
	report        ReportFunc
	logger        *slog.Logger
	rejectSkipped bool
	errs          []error
}

// WithMode sets the mode; the default is Enforce.
func WithMode(m Mode) MiddlewareOption {
	return func(c *middlewareConfig) {
		if m != Enforce && m != Report {
			c.errs = append(c.errs, errors.New("validate: invalid middleware "+m.String()))
			return
		}
		c.mode = m
	}
}

// WithResponseValidation turns validating responses on (the default) or off.
// In Report mode the response is copied as it is written and validated after
// the handler returns; in Enforce mode it is held back until validated.
func WithResponseValidation(on bool) MiddlewareOption {
	return func(c *middlewareConfig) { c.responses = on }
}

// WithBodyLimit sets the largest request or response body, in bytes, that the
// middleware holds in memory and validates. A larger request body is rejected
// with 413 in Enforce mode and passed on unvalidated in Report mode; a larger
// response body is passed on unvalidated in both modes. Either way a
// BODY_TOO_LARGE finding is reported. The default is the validator's
// WithMaxBodySize limit, or DefaultMaxBodySize when that is unlimited.
func WithBodyLimit(n int) MiddlewareOption {
	return func(c *middlewareConfig) {
		if n <= 0 {
			c.errs = append(c.errs, errors.New("validate: middleware body limit must be positive, got "+strconv.Itoa(n)))
			return
		}
		c.maxBody = n
	}
}

// WithSkipper leaves alone every request for which skip returns true: it is
// neither read, validated nor reported (health checks, metrics, ...).
func WithSkipper(skip func(*http.Request) bool) MiddlewareOption {
	return func(c *middlewareConfig) { c.skip = skip }
}

// WithErrorHandler replaces WriteRejection as the writer of rejections.
func WithErrorHandler(h ErrorHandler) MiddlewareOption {
	return func(c *middlewareConfig) { c.onReject = h }
}

// WithReporter calls f with the result of every validation, in both modes.
func WithReporter(f ReportFunc) MiddlewareOption {
	return func(c *middlewareConfig) { c.report = f }
}

// WithLogger logs every finding, in both modes, as one structured record
// with the attributes method, path (never the query, which may carry
// tokens), operationId, apiVersion, direction, code, severity, in, target
// and message. Errors log at slog.LevelWarn, warnings at slog.LevelInfo and
// info findings (a call no contract covers) at slog.LevelDebug: a broken
// contract is the caller's or the service's fault, not the gateway's.
func WithLogger(l *slog.Logger) MiddlewareOption {
	return func(c *middlewareConfig) { c.logger = l }
}

// WithRejectSkipped makes Enforce mode reject, with 400 and the code
// OPERATION_NOT_FOUND, calls that no contract covers (Result.Skipped); by
// default they pass through. Report mode rejects nothing, so combining the
// two is an error.
func WithRejectSkipped(reject bool) MiddlewareOption {
	return func(c *middlewareConfig) { c.rejectSkipped = reject }
}

// middleware is the immutable state shared by every request.
type middleware struct {
	middlewareConfig
	v *Validator
}

// NewMiddleware returns net/http middleware that validates every request,
// and by default every response, against the contracts of v. The request
// body reaches the next handler byte for byte as it arrived; rejections are
// written in the Azure Resource Manager error shape (see WriteRejection). It
// fails, and never panics, when v is nil or an option is invalid.
func NewMiddleware(v *Validator, opts ...MiddlewareOption) (func(http.Handler) http.Handler, error) {
	if v == nil {
		return nil, errors.New("validate: NewMiddleware needs a validator, got nil")
	}
	m := &middleware{v: v, middlewareConfig: middlewareConfig{mode: Enforce, responses: true}}
	for _, o := range opts {
		if o == nil {
			m.errs = append(m.errs, errors.New("validate: nil middleware option"))
			continue
		}
		o(&m.middlewareConfig)
	}
	if m.rejectSkipped && m.mode == Report {
		m.errs = append(m.errs, errors.New("validate: WithRejectSkipped needs Enforce mode; Report mode rejects nothing"))
	}
	if err := errors.Join(m.errs...); err != nil {
		return nil, err
	}
	m.errs = nil
	if m.maxBody == 0 {
		m.maxBody = v.cfg.maxBody
		if m.maxBody <= 0 {
			m.maxBody = DefaultMaxBodySize
		}
	}
	if m.onReject == nil {
		m.onReject = WriteRejection
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			next = http.DefaultServeMux // as http.Server does with a nil Handler
		}
		return &handler{m: m, next: next}
	}, nil
}

// handler is the middleware around one next handler.
type handler struct {
	m    *middleware
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	if m.skip != nil && m.skip(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	req := Request{Method: r.Method, URL: r.RequestURI, Header: r.Header}
	if req.URL == "" { // a request built by a client or a test, not read by a server
		req.URL = r.URL.RequestURI()
	}
	body, err := m.readBody(r)
	var res Result
	switch {
	case err == errBodyTooLarge || err != nil && isMaxBytesError(err):
		res = m.tooLarge(&req, InRequest)
		m.emit(r, &res)
		if m.mode == Enforce {
			m.onReject(w, r, &Rejection{Status: http.StatusRequestEntityTooLarge, Result: res})
			return
		}
	case err != nil:
		// The client broke off or the connection failed: the handler gets
		// the bytes that did arrive and then the same error, unvalidated.
		h.next.ServeHTTP(w, r)
		return
	default:
		req.Body = body
		res = m.v.Validate(&Exchange{Request: &req})
		m.emit(r, &res)
		if m.mode == Enforce && (res.Max() >= Error || res.Skipped && m.rejectSkipped) {
			m.onReject(w, r, &Rejection{Status: http.StatusBadRequest, Result: res})
			return
		}
	}
	if !m.responses || res.Skipped || res.OperationID == "" {
		h.next.ServeHTTP(w, r)
		return
	}
	rw := newResponseWriter(w, m.mode == Enforce, m.maxBody)
	defer rw.release()
	h.next.ServeHTTP(rw, r)
	m.finishResponse(rw, r, &req, res.op)
}

// finishResponse validates the response the handler wrote and, in Enforce
// mode, sends it or its replacement.
func (m *middleware) finishResponse(rw *responseWriter, r *http.Request, req *Request, op *spec.Operation) {
	if rw.hijacked {
		return
	}
	if rw.over {
		res := m.tooLarge(req, InResponse)
		m.emit(r, &res)
		return // already passed on
	}
	status := rw.status
	if !rw.wrote {
		status = http.StatusOK
	}
	resp := Response{StatusCode: status, Header: rw.w.Header(), Body: rw.buf.Bytes()}
	var res Result
	if decoded, ok := m.decodeBody(resp.Header, resp.Body); ok {
		resp.Body = decoded
		res = m.v.Validate(&Exchange{Request: req, Response: &resp, ResponseOnly: true, Operation: op})
	} else {
		res = m.unknownEncoding(req, resp.Header)
	}
	m.emit(r, &res)
	if !rw.holding() {
		return
	}
	if res.Max() >= Error {
		rw.restoreHeader()
		m.onReject(rw.w, r, &Rejection{Status: http.StatusBadGateway, Result: res})
		return
	}
	rw.commit()
}

// decodeBody returns the body to validate: the body itself, or the body
// gunzipped when the response says Content-Encoding: gzip. It reports false
// for other encodings, which cannot be validated.
func (m *middleware) decodeBody(h http.Header, body []byte) ([]byte, bool) {
	ce := h["Content-Encoding"]
	if len(ce) == 0 || len(ce) == 1 && (ce[0] == "" || strings.EqualFold(ce[0], "identity")) {
		return body, true
	}
	if len(ce) != 1 || !strings.EqualFold(strings.TrimSpace(ce[0]), "gzip") {
		return nil, false
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(m.maxBody)+1))
	if err != nil || len(out) > m.maxBody {
		return nil, false
	}
	return out, true
}

// unknownEncoding reports a response whose body is compressed in a way the
// middleware cannot undo.
func (m *middleware) unknownEncoding(req *Request, h http.Header) Result {
	res := m.routed(req)
	em := emitter{v: m.v}
	em.add(Finding{Code: CodeInvalidContentType, Severity: Warning, Direction: InResponse, Part: PartHeader, Name: "Content-Encoding", Offset: -1,
		Message: "the response is sent with Content-Encoding " + quoteShort(strings.Join(h.Values("Content-Encoding"), ", ")) + ", which the middleware cannot decode; its body was not validated"})
	res.Findings = em.findings
	return res
}

// tooLarge is the result for a body over the limit, which is not validated.
func (m *middleware) tooLarge(req *Request, dir Direction) Result {
	res := m.routed(req)
	f := m.tooLargeFinding(dir)
	em := emitter{v: m.v}
	em.add(f)
	res.Findings = em.findings
	if len(res.Findings) == 0 && m.mode == Enforce && dir == InRequest {
		// Disabling the rule silences the report, but the request is
		// still refused: the rejection says why.
		res.Findings = []Finding{f}
	}
	return res
}

func (m *middleware) tooLargeFinding(dir Direction) Finding {
	return Finding{Code: CodeBodyTooLarge, Severity: Error, Direction: dir, Part: PartBody, Offset: -1,
		Message: "the " + dir.String() + " body is larger than the limit of " + strconv.Itoa(m.maxBody) + " bytes; it was not validated"}
}

// routed names the operation of req in a result, without validating it.
func (m *middleware) routed(req *Request) Result {
	var res Result
	if match, err := m.v.reg.Route(req.Method, req.URL); err == nil {
		res.OperationID, res.APIVersion = match.Operation.ID, match.Operation.Contract.APIVersion
	}
	return res
}

// emit hands a result to the reporter and the logger.
func (m *middleware) emit(r *http.Request, res *Result) {
	if m.report != nil {
		m.report(r, *res)
	}
	if m.logger != nil {
		m.log(r, res)
	}
}

func (m *middleware) log(r *http.Request, res *Result) {
	ctx := r.Context()
	for i := range res.Findings {
		f := &res.Findings[i]
		level := slog.LevelDebug
		switch f.Severity {
		case Error:
			level = slog.LevelWarn
		case Warning:
			level = slog.LevelInfo
		}
		if !m.logger.Enabled(ctx, level) {
			continue
		}
		m.logger.LogAttrs(ctx, level, "contract finding",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("operationId", res.OperationID),
			slog.String("apiVersion", res.APIVersion),
			slog.String("direction", f.Direction.String()),
			slog.String("code", f.Code),
			slog.String("severity", f.Severity.String()),
			slog.String("in", f.Part.String()),
			slog.String("target", Target(f)),
			slog.String("message", f.Message),
		)
	}
}

// errBodyTooLarge says that a request body is over the middleware's limit.
var errBodyTooLarge = errors.New("body too large")

func isMaxBytesError(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// readBody reads the request body, at most the limit plus one byte, and puts
// back in r.Body a reader that yields exactly the bytes the client sent:
// those read (replayed) followed by any not read yet. It returns
// errBodyTooLarge, without reading anything when Content-Length already says
// so, for a body over the limit.
func (m *middleware) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > int64(m.maxBody) {
		return nil, errBodyTooLarge
	}
	var buf []byte
	if r.ContentLength > 0 {
		buf = make([]byte, 0, r.ContentLength+1) // +1 to see EOF without growing
	} else {
		buf = make([]byte, 0, 512)
	}
	orig := r.Body
	limit := m.maxBody + 1
	var err error
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		var n int
		n, err = orig.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err != nil || len(buf) >= limit {
			break
		}
	}
	switch {
	case err == io.EOF && len(buf) < limit:
		r.Body = &replayBody{data: buf, orig: orig}
		return buf, nil
	case err == nil || err == io.EOF:
		r.Body = &stitchedBody{Reader: io.MultiReader(bytes.NewReader(buf), orig), orig: orig}
		return nil, errBodyTooLarge
	default:
		r.Body = &stitchedBody{Reader: io.MultiReader(bytes.NewReader(buf), errorReader{err}), orig: orig}
		return nil, err
	}
}

// replayBody yields a body that was read in full, then io.EOF.
type replayBody struct {
	data []byte
	off  int
	orig io.Closer
}

func (b *replayBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

// WriteTo lets io.Copy, as used by http.Transport, skip a buffer.
func (b *replayBody) WriteTo(w io.Writer) (int64, error) {
	if b.off >= len(b.data) {
		return 0, nil
	}
	n, err := w.Write(b.data[b.off:])
	b.off += n
	return int64(n), err
}

func (b *replayBody) Close() error { return b.orig.Close() }

// stitchedBody yields the bytes already read followed by the rest of the
// original body.
type stitchedBody struct {
	io.Reader
	orig io.Closer
}

func (b *stitchedBody) Close() error { return b.orig.Close() }

// errorReader fails every read with the error the original body gave.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// writerPool recycles response writers and their buffers.
var writerPool = sync.Pool{New: func() any { return new(responseWriter) }}

// maxPooledBuffer is the largest buffer kept for reuse; larger ones are left
// to the garbage collector so that one big response does not pin memory.
const maxPooledBuffer = 1 << 20

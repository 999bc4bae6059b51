package validate

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
)

// responseWriter stands between the handler and the real ResponseWriter while
// a response is validated. In Report mode it tees: every write goes straight
// through and a copy of the body, up to the limit, is kept. In Enforce mode
// it holds the status and body back until the middleware has validated them;
// a body over the limit stops the holding and flows through unvalidated.
type responseWriter struct {
	w      http.ResponseWriter
	hold   bool // Enforce mode: nothing is sent before commit
	passed bool // holding was given up: writes go straight through
	limit  int

	status   int
	wrote    bool // the final status is set
	over     bool // the body grew past the limit: it is not validated
	flushed  bool // the handler asked for a flush while the response was held
	hijacked bool // the connection was switched to another protocol
	buf      bytes.Buffer
	saved    http.Header // headers set before the handler ran (held mode)
}

func newResponseWriter(w http.ResponseWriter, hold bool, limit int) *responseWriter {
	rw := writerPool.Get().(*responseWriter)
	rw.w, rw.hold, rw.limit = w, hold, limit
	if hold {
		if h := w.Header(); len(h) > 0 {
			rw.saved = h.Clone() // restored if the response is replaced
		}
	}
	return rw
}

// release returns the writer to the pool once the middleware is done with it.
func (rw *responseWriter) release() {
	buf := rw.buf
	buf.Reset()
	if buf.Cap() > maxPooledBuffer {
		buf = bytes.Buffer{}
	}
	*rw = responseWriter{buf: buf}
	writerPool.Put(rw)
}

// holding reports whether the response is still held back, unsent.
func (rw *responseWriter) holding() bool { return rw.hold && !rw.passed }

// Header returns the real writer's header map.
func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

// WriteHeader records the status and, unless the response is held, sends
// it. Informational statuses always go straight through; 101 Switching
// Protocols ends validation.
func (rw *responseWriter) WriteHeader(code int) {
	if rw.wrote {
		return
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		rw.w.WriteHeader(code)
		return
	}
	rw.status, rw.wrote = code, true
	if code == http.StatusSwitchingProtocols {
		rw.hijacked = true
		rw.passThrough()
		return
	}
	if !rw.holding() {
		rw.w.WriteHeader(code)
	}
}

// Write keeps the body (held mode) or copies it on its way through (tee).
func (rw *responseWriter) Write(p []byte) (int, error) {
	if !rw.wrote {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.holding() {
		if rw.buf.Len()+len(p) <= rw.limit {
			return rw.buf.Write(p)
		}
		rw.over = true
		if err := rw.passThrough(); err != nil {
			return 0, err
		}
		return rw.w.Write(p)
	}
	if !rw.over && !rw.hijacked {
		if rw.buf.Len()+len(p) <= rw.limit {
			rw.buf.Write(p)
		} else {
			rw.over = true
		}
	}
	return rw.w.Write(p)
}

// passThrough gives up holding: what was held is sent and later writes go
// straight through.
func (rw *responseWriter) passThrough() error {
	if !rw.holding() {
		return nil
	}
	rw.passed = true
	rw.w.WriteHeader(rw.status)
	var err error
	if rw.buf.Len() > 0 {
		_, err = rw.w.Write(rw.buf.Bytes())
		rw.buf.Reset()
	}
	if err == nil && rw.flushed {
		err = http.NewResponseController(rw.w).Flush()
	}
	return err
}

// commit sends a held response unchanged once it has been found valid.
func (rw *responseWriter) commit() {
	if !rw.holding() {
		return
	}
	rw.passed = true
	if rw.wrote {
		rw.w.WriteHeader(rw.status)
	}
	if rw.buf.Len() > 0 {
		rw.w.Write(rw.buf.Bytes())
	}
	if rw.flushed {
		http.NewResponseController(rw.w).Flush()
	}
}

// restoreHeader puts back the headers that were set before the handler ran,
// dropping the handler's, so that a replacement response starts clean.
func (rw *responseWriter) restoreHeader() {
	h := rw.w.Header()
	clear(h)
	for k, v := range rw.saved {
		h[k] = v
	}
}

// Flush sends what was written so far. While a response is held (Enforce
// mode) nothing can be sent before it is validated, so the flush happens
// when the held response is sent.
func (rw *responseWriter) Flush() { _ = rw.FlushError() }

// FlushError is Flush returning the real writer's error; it is what
// http.ResponseController.Flush calls.
func (rw *responseWriter) FlushError() error {
	if rw.holding() {
		rw.flushed = true
		return nil
	}
	if !rw.wrote {
		rw.WriteHeader(http.StatusOK)
	}
	return http.NewResponseController(rw.w).Flush()
}

// Unwrap returns the real writer, so that http.ResponseController reaches
// its deadlines, full duplex and hijacking.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }

// Hijack hands the connection to the handler (through the real writer) and
// ends validation: what follows is not HTTP.
func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(rw.w).Hijack()
	if err == nil {
		rw.hijacked = true
	}
	return conn, brw, err
}

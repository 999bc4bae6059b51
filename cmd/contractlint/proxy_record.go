package main

import (
	"bufio"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/contractlint/contractlint/lint"
)

// harRecorder records every call as the client saw it, request and response,
// into a HAR document. It sits outside the validating middleware, so that a
// rejection is recorded as sent.
type harRecorder struct {
	next  http.Handler
	har   *lint.HARWriter
	limit int // most bytes of each body recorded
	log   *log.Logger
	once  sync.Once // the first write error is logged, not every one
}

func (h *harRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqHeader := r.Header.Clone()
	reqHeader.Set("Host", r.Host)
	var reqBody *capture
	if r.Body != nil && r.Body != http.NoBody {
		reqBody = &capture{limit: h.limit}
		r.Body = &teeBody{ReadCloser: r.Body, c: reqBody}
	}
	cw := &captureWriter{w: w, body: capture{limit: h.limit}}
	h.next.ServeHTTP(cw, r)

	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	e := &lint.HAREntry{
		Started: start, Time: time.Since(start),
		Method: r.Method, URL: scheme + "://" + r.Host + r.RequestURI, Proto: r.Proto,
		RequestHeader:  reqHeader,
		Status:         cw.status,
		ResponseHeader: w.Header().Clone(),
		ResponseBody:   cw.body.b,
	}
	if e.Status == 0 {
		e.Status = http.StatusOK
	}
	if reqBody != nil {
		e.RequestBody = reqBody.b
		if reqBody.cut || r.ContentLength > int64(len(reqBody.b)) {
			e.Comment = "request body recorded in part: " + strconv.Itoa(len(reqBody.b)) + " bytes"
		}
	}
	if cw.body.cut {
		if e.Comment != "" {
			e.Comment += "; "
		}
		e.Comment += "response body recorded in part: " + strconv.Itoa(len(cw.body.b)) + " bytes"
	}
	if err := h.har.Add(e); err != nil && err != lint.ErrHARClosed {
		h.once.Do(func() { h.log.Printf("recording: %v", err) })
	}
}

// capture keeps the first limit bytes written to it.
type capture struct {
	b     []byte
	limit int
	cut   bool
}

func (c *capture) keep(p []byte) {
	if room := c.limit - len(c.b); room < len(p) {
		p = p[:max(room, 0)]
		c.cut = true
	}
	c.b = append(c.b, p...)
}

// teeBody records a request body as the handlers read it.
type teeBody struct {
	io.ReadCloser
	c *capture
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.c.keep(p[:n])
	return n, err
}

// captureWriter records the status and body sent to the client.
type captureWriter struct {
	w      http.ResponseWriter
	status int
	body   capture
}

func (c *captureWriter) Header() http.Header { return c.w.Header() }

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		c.status = code
	}
	c.w.WriteHeader(code)
}

func (c *captureWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.w.Write(p)
	c.body.keep(p[:n])
	return n, err
}

// Flush, FlushError, Hijack and Unwrap keep http.ResponseController working
// through the recorder.
func (c *captureWriter) Flush() { _ = c.FlushError() }

func (c *captureWriter) FlushError() error { return http.NewResponseController(c.w).Flush() }

func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(c.w).Hijack()
}

func (c *captureWriter) Unwrap() http.ResponseWriter { return c.w }

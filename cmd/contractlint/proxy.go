package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/contractlint/contractlint/lint"
	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
	"github.com/urfave/cli/v2"
)

// shutdownGrace is how long in-flight requests get to finish once the proxy
// is told to stop.
const shutdownGrace = 30 * time.Second

func proxyCommand() *cli.Command {
	return &cli.Command{
		Name:      "proxy",
		Usage:     "validate live traffic: a reverse proxy in front of a service that reports or rejects calls breaking their contract",
		ArgsUsage: " ",
		Description: "Forwards every call to --upstream and validates both directions against the embedded contracts.\n" +
			"Each finding is printed to standard output as it happens. In report mode everything passes unchanged;\n" +
			"in enforce mode invalid requests get 400 (413 for a body over --max-body-size) and invalid responses\n" +
			"are replaced by 502, both in the Azure Resource Manager error shape. SIGINT or SIGTERM stops the proxy\n" +
			"after in-flight calls finish, and completes the --record file.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "listen on `ADDR` (host:port)"},
			&cli.StringFlag{Name: "upstream", Usage: "forward to the service at `URL` (http or https)"},
			&cli.StringFlag{Name: "mode", Value: "report", Usage: "`MODE`: report (pass everything, print findings) or enforce (reject invalid calls)"},
			&cli.StringFlag{Name: "record", Usage: "record the traffic as HAR 1.2 in `FILE`"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "finding output `FORMAT`: text, or json (one object per line)"},
			&cli.IntFlag{Name: "max-body-size", Usage: "largest body validated and recorded, in `BYTES`", DefaultText: "10 MiB"},
			&cli.BoolFlag{Name: "strict-enums", Usage: "report values outside extensible enums as errors, not warnings"},
			contractFlag,
		},
		Action: proxyAction,
	}
}

func proxyAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("proxy takes no arguments; name the service with --upstream")
	}
	cfg := proxyConfig{Listen: c.String("listen"), Format: strings.ToLower(c.String("format")), MaxBodySize: c.Int("max-body-size"), Log: c.App.ErrWriter}
	if c.String("upstream") == "" {
		return usagef("proxy needs --upstream URL, the service to forward to")
	}
	u, err := url.Parse(c.String("upstream"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--upstream %q is not an http or https URL", c.String("upstream"))
	}
	cfg.Upstream = u
	if cfg.Mode, err = validate.ParseMode(c.String("mode")); err != nil {
		return usagef("--mode: %v", err)
	}
	if cfg.Format != "text" && cfg.Format != "json" {
		return usagef("--format %q: want text or json", c.String("format"))
	}
	if cfg.MaxBodySize < 0 {
		return usagef("--max-body-size must not be negative")
	}
	if cfg.Registry, err = registry(c); err != nil {
		return err
	}
	cfg.StrictEnums = c.Bool("strict-enums")
	var harFile *os.File
	if path := c.String("record"); path != "" {
		if harFile, err = os.Create(path); err != nil {
			return err
		}
		cfg.Record = harFile
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = serveProxy(ctx, cfg, c.App.Writer)
	if harFile != nil {
		if cerr := harFile.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// proxyConfig is everything serveProxy needs; the command builds it from
// flags, tests build it directly.
type proxyConfig struct {
	// Listen is the address to listen on, host:port ("127.0.0.1:0" picks a
	// free port; Ready learns which).
	Listen   string
	Upstream *url.URL
	Mode     validate.Mode
	// Format is "text" or "json".
	Format string
	// MaxBodySize is the largest body validated and recorded; 0 is the
	// validator's default.
	MaxBodySize int
	// Record, when set, receives the traffic as HAR 1.2; serveProxy
	// completes the document but does not close Record.
	Record io.Writer
	// Log receives the proxy's own messages (listening, upstream errors).
	Log io.Writer
	// Ready, when set, is called with the listening address before the first
	// request is served.
	Ready func(net.Addr)
	// Registry holds the contracts; nil means the embedded ones.
	Registry *spec.Registry
	// StrictEnums makes values outside extensible enums errors.
	StrictEnums bool
}

// serveProxy runs the validating reverse proxy until ctx is done, then stops
// accepting calls, lets those in flight finish (for up to shutdownGrace) and
// completes the HAR recording. Findings go to stdout as they happen.
func serveProxy(ctx context.Context, cfg proxyConfig, stdout io.Writer) error {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.Upstream == nil {
		return errors.New("proxy: no upstream")
	}
	reg := cfg.Registry
	if reg == nil {
		var err error
		if reg, err = spec.Embedded(); err != nil {
			return err
		}
	}
	vopts := []validate.Option{validate.WithStrictEnums(cfg.StrictEnums)}
	mopts := []validate.MiddlewareOption{validate.WithMode(cfg.Mode)}
	if cfg.MaxBodySize > 0 {
		vopts = append(vopts, validate.WithMaxBodySize(cfg.MaxBodySize))
		mopts = append(mopts, validate.WithBodyLimit(cfg.MaxBodySize))
	}
	v, err := validate.New(reg, vopts...)
	if err != nil {
		return err
	}
	printer := &findingPrinter{w: stdout, json: cfg.Format == "json"}
	mw, err := validate.NewMiddleware(v, append(mopts, validate.WithReporter(printer.report))...)
	if err != nil {
		return err
	}
	errLog := log.New(cfg.Log, "contractlint proxy: ", 0)
	var handler http.Handler = mw(newReverseProxy(cfg.Upstream, errLog))
	var har *lint.HARWriter
	if cfg.Record != nil {
		har = lint.NewHARWriter(cfg.Record)
		limit := cfg.MaxBodySize
		if limit == 0 {
			limit = validate.DefaultMaxBodySize
		}
		handler = &harRecorder{next: handler, har: har, limit: limit, log: errLog}
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		if har != nil {
			har.Close()
		}
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: time.Minute, ErrorLog: errLog}
	fmt.Fprintf(cfg.Log, "contractlint proxy: listening on http://%s, forwarding to %s (%s mode)\n", ln.Addr(), cfg.Upstream.Redacted(), cfg.Mode)
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		if err := srv.Shutdown(sctx); err != nil {
			srv.Close() // calls still running after the grace period are cut
			serveErr = fmt.Errorf("proxy: shutdown: %w", err)
		}
		cancel()
		if err := <-served; serveErr == nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr = err
		}
		fmt.Fprintln(cfg.Log, "contractlint proxy: stopped")
	}
	if har != nil {
		serveErr = errors.Join(serveErr, har.Close())
	}
	return serveErr
}

// newReverseProxy forwards calls to upstream. It asks the upstream for
// uncompressed bodies, so that responses can be validated, and answers 502
// in the ARM error shape when the upstream cannot be reached.
func newReverseProxy(upstream *url.URL, errLog *log.Logger) *httputil.ReverseProxy {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 256
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(upstream)
			pr.SetXForwarded()
			pr.Out.Header.Del("Accept-Encoding")
		},
		Transport: tr,
		ErrorLog:  errLog,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if r.Context().Err() != nil {
				return // the client went away: there is nobody to answer
			}
			errLog.Printf("%s %s: upstream: %v", r.Method, r.URL.Path, err)
			validate.WriteRejection(w, r, &validate.Rejection{Status: http.StatusBadGateway, Result: validate.Result{
				Findings: []validate.Finding{{Code: "UpstreamUnavailable", Severity: validate.Error, Offset: -1,
					Message: "the upstream service could not be reached"}},
			}})
		},
	}
}

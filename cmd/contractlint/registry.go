package main

import (
	"fmt"
	"runtime/debug"

	"github.com/contractlint/contractlint/spec"
	"github.com/urfave/cli/v2"
)

// contractFlag adds user contracts next to the embedded ones.
var contractFlag = &cli.StringSliceFlag{
	Name:  "contract",
	Usage: "also load this OpenAPI 3 or Swagger 2.0 contract `FILE` (repeatable)",
}

// registry returns the embedded contracts plus those named by --contract.
func registry(c *cli.Context) (*spec.Registry, error) {
	// Loading the contracts allocates a lot of short-lived memory for a few
	// tens of milliseconds; collecting it as it goes is most of the
	// command's start-up time, so the collector waits until they are loaded.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	emb, err := spec.Embedded()
	if err != nil {
		return nil, err
	}
	files := c.StringSlice("contract")
	if len(files) == 0 {
		return emb, nil
	}
	contracts := append([]*spec.Contract(nil), emb.Contracts()...)
	for _, f := range files {
		ct, err := spec.LoadFile(f)
		if err != nil {
			return nil, fmt.Errorf("contract %s: %w", f, err)
		}
		contracts = append(contracts, ct)
	}
	return spec.NewRegistry(contracts...)
}

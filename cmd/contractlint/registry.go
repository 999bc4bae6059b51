package main

import (
	"fmt"

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

package correlate_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
)

// goldenHashes are the output hashes (hashOutput over every scan) of the scenario of
// TestOutputGolden under each configuration, recorded on amd64. A change that is meant
// to leave the output alone (an optimisation) must leave them alone; a change of the
// output must update them deliberately, saying why in its commit.
var goldenHashes = map[string]uint64{
	"gnn":       0xa06c5c40f9d6cc03,
	"jpda":      0xffd73fa8f645111a,
	"jipda":     0xf60db6c56cd5471c,
	"imm":       0xf971efd7697f428f,
	"imm-jpda":  0x309e321a2078e01c,
	"sprt":      0xb77533eacf0b456f,
	"two-point": 0x4987db5cb6fbf2f5,
}

// goldenConfigs are the association variants and a few logic and initiation variants.
func goldenConfigs() []struct {
	name string
	cfg  correlate.Config
} {
	cfgs := append([]struct {
		name string
		cfg  correlate.Config
	}{}, associations...)
	return append(cfgs, []struct {
		name string
		cfg  correlate.Config
	}{
		{"sprt", correlate.Config{Logic: correlate.SPRT}},
		{"two-point", correlate.Config{Initiation: correlate.TwoPoint}},
	}...)
}

// The tracker's output on a fixed scenario is bit for bit the recorded one, with 1 and
// 2 workers: a cross-version check, where TestDeterminism checks one version against
// itself. Only on amd64, whose Go compiler never fuses a multiply and an add (others may,
// which changes the last bits).
func TestOutputGolden(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("golden hashes are recorded on amd64")
	}
	all := scans(t, bench.Scenario{Targets: 3000, Scans: 10, Sensors: 3, Seed: 23})
	for _, c := range goldenConfigs() {
		t.Run(c.name, func(t *testing.T) {
			h := runHash(t, c.cfg, all, 1, nil)
			want, ok := goldenHashes[c.name]
			if !ok {
				t.Fatalf("no golden hash: %q: %#x,", c.name, h)
			}
			assert.Equal(t, fmt.Sprintf("%#x", want), fmt.Sprintf("%#x", h), "1 worker")
			assert.Equal(t, fmt.Sprintf("%#x", want), fmt.Sprintf("%#x", runHash(t, c.cfg, all, 2, nil)), "2 workers")
		})
	}
}

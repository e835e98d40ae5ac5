package assign

import (
	"os"
	"testing"
	"time"
)

func TestStat(t *testing.T) {
	if os.Getenv("ASSIGN_STAT") == "" {
		t.Skip()
	}
	p := withTracking(geometric(1, 100000, 0.3, 2), 9, 9)
	var w Workspace
	var res Result
	w.Solve(&res, p)
	for rep := 0; rep < 4; rep++ {
		t0 := time.Now()
		direct := false
		t1 := time.Now()
		_ = w.pr.load(p, direct)
		t2 := time.Now()
		w.st.reset(w.pr.n, w.pr.nc)
		w.s.ensure(w.pr.nc)
		w.rows = iota32(w.rows, w.pr.n)
		t3 := time.Now()
		w.s.solveRows(&w.pr, &w.st, w.rows)
		t4 := time.Now()
		w.pr.result(&res, &w.st, p)
		t5 := time.Now()
		t.Logf("validate %v load %v reset %v solve %v result %v total %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4), t5.Sub(t0))
	}
}

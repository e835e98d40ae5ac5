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
	p := geometric(1, 10000, 0.3, 2)
	var w Workspace
	var res Result
	w.Solve(&res, p)
	for rep := 0; rep < 6; rep++ {
		t0 := time.Now()
		direct, _ := validate(p)
		t1 := time.Now()
		w.pr.load(p, direct)
		t2 := time.Now()
		w.st.reset(w.pr.n, w.pr.nc)
		w.s.ensure(w.pr.nc)
		w.rows = iota32(w.rows, w.pr.n)
		t3 := time.Now()
		s := &w.s
		pr, st := &w.pr, &w.st
		s.queue = s.queue[:0]
		for _, i := range w.rows {
			a, b := pr.start[i], pr.start[i+1]
			best, bj := pr.cost[a], pr.col[a]
			for k := a + 1; k < b; k++ {
				if c := pr.cost[k]; c < best {
					best, bj = c, pr.col[k]
				}
			}
			if st.colRow[bj] < 0 {
				st.colRow[bj] = i
				st.rowCol[i] = bj
				st.u[i] = best
			} else {
				s.queue = append(s.queue, i)
			}
		}
		q0 := len(s.queue)
		t4 := time.Now()
		s.reduce(pr, st)
		q1 := len(s.queue)
		t5 := time.Now()
		for _, i := range s.queue {
			s.augment(pr, st, i)
		}
		t6 := time.Now()
		w.pr.result(&res, &w.st, p)
		t7 := time.Now()
		t.Logf("validate %v load %v reset %v greedy %v (q %d) reduce %v (q %d) augment %v result %v total %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), q0, t5.Sub(t4), q1, t6.Sub(t5), t7.Sub(t6), t7.Sub(t0))
	}
}

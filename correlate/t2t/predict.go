package t2t

// predictCV propagates (x, P) of a constant-velocity layout with axes position-velocity
// pairs [p, v] over dt seconds: x ← F x, P ← F P Fᵀ + Q, per axis
//
//	F = [1 dt; 0 1],   Q = q·[dt³/3 dt²/2; dt²/2 dt],
//
// the same model as kalman.NewCV(axes, q) (checked against kalman.KF.Predict in
// TestPredictMatchesKalman). It exploits the block structure of F and costs O(n²);
// P stays exactly symmetric. dt must be ≥ 0.
func predictCV(x *vec, p *mtx, axes int, q, dt float64) {
	if dt == 0 {
		return
	}
	n := 2 * axes
	for a := 0; a < axes; a++ {
		i, j := 2*a, 2*a+1
		x[i] += dt * x[j]
		for c := 0; c < n; c++ { // rows: F P
			p[i][c] += dt * p[j][c]
		}
	}
	for a := 0; a < axes; a++ {
		i, j := 2*a, 2*a+1
		for r := 0; r < n; r++ { // columns: (F P) Fᵀ
			p[r][i] += dt * p[r][j]
		}
	}
	d2 := dt * dt
	q3, q2, q1 := q*d2*dt/3, q*d2/2, q*dt
	for a := 0; a < axes; a++ {
		i, j := 2*a, 2*a+1
		p[i][i] += q3
		p[i][j] += q2
		p[j][i] += q2
		p[j][j] += q1
	}
	for r := 0; r < n; r++ { // exact symmetry: mean of the triangles
		for c := 0; c < r; c++ {
			m := (p[r][c] + p[c][r]) / 2
			p[r][c], p[c][r] = m, m
		}
	}
}

// copyEst copies the leading n entries of x and n×n block of p.
func copyEst(dx *vec, dp *mtx, x *vec, p *mtx, n int) {
	copy(dx[:n], x[:n])
	for i := 0; i < n; i++ {
		copy(dp[i][:n], p[i][:n])
	}
}

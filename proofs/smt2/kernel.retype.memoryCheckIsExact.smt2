; obligation: kernel.retype.memoryCheckIsExact
; statement: retype refuses exactly the requests whose aligned placement would not fit (no alignment slack is needed)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.retype.memoryCheckIsExact
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun blockBits () (_ BitVec 64))
(declare-fun base () (_ BitVec 64))
(declare-fun freeOffset () (_ BitVec 64))
(declare-fun objectBits () (_ BitVec 64))
(declare-fun count () (_ BitVec 64))
(assert
 (bvule blockBits (_ bv47 64)))
(assert
 (bvule base (_ bv281474976710655 64)))
(assert
 (let ((?x17 (ite (bvule (_ bv64 64) blockBits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) blockBits) (_ bv1 64)))))
 (= (bvand base ?x17) (_ bv0 64))))
(assert
 (let ((?x14 (bvshl (_ bv1 64) blockBits)))
 (bvule freeOffset ?x14)))
(assert
 (bvule objectBits (_ bv47 64)))
(assert
 (and (bvule (_ bv1 64) count) (bvule count (_ bv256 64))))
(assert
 (bvule objectBits blockBits))
(assert
 (let ((?x34 (ite (bvule (_ bv64 64) objectBits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) objectBits) (_ bv1 64)))))
 (let ((?x45 (bvadd (bvand (bvadd (bvadd base freeOffset) ?x34) (bvnot ?x34)) (bvshl count objectBits))))
 (let (($x47 (bvule ?x45 (bvadd base (bvshl (_ bv1 64) blockBits)))))
 (let (($x42 (bvule count (bvlshr (bvsub (bvshl (_ bv1 64) blockBits) freeOffset) objectBits))))
 (let (($x43 (and (bvult objectBits (_ bv64 64)) $x42)))
 (let (($x52 (or (and $x43 $x47) (and (not $x43) (not $x47)))))
 (not $x52))))))))
(check-sat)

; obligation: priorityBitmap.removeFromBitmap.contents
; statement: after removeFromBitmap(p), a priority's bit is set exactly when it is not p and was set before
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; priorityBitmap.removeFromBitmap.contents
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun l2_0 () (_ BitVec 64))
(declare-fun l1 () (_ BitVec 64))
(declare-fun l2_1 () (_ BitVec 64))
(declare-fun l2_2 () (_ BitVec 64))
(declare-fun l2_3 () (_ BitVec 64))
(declare-fun p () (_ BitVec 64))
(declare-fun q () (_ BitVec 64))
(assert
 (let (($x55 (or (and (not (= (bvand l1 (_ bv8 64)) (_ bv0 64))) (not (= l2_0 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv8 64)) (_ bv0 64)))) (= l2_0 (_ bv0 64))))))
 (let (($x44 (or (and (not (= (bvand l1 (_ bv4 64)) (_ bv0 64))) (not (= l2_1 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv4 64)) (_ bv0 64)))) (= l2_1 (_ bv0 64))))))
 (let (($x34 (or (and (not (= (bvand l1 (_ bv2 64)) (_ bv0 64))) (not (= l2_2 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv2 64)) (_ bv0 64)))) (= l2_2 (_ bv0 64))))))
 (let (($x23 (or (and (not (= (bvand l1 (_ bv1 64)) (_ bv0 64))) (not (= l2_3 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv1 64)) (_ bv0 64)))) (= l2_3 (_ bv0 64))))))
 (and (and (and (and (= (bvlshr l1 (_ bv4 64)) (_ bv0 64)) $x23) $x34) $x44) $x55))))))
(assert
 (bvule p (_ bv255 64)))
(assert
 (bvule q (_ bv255 64)))
(assert
 (let ((?x96 (bvshl (_ bv1 64) (bvand q (_ bv63 64)))))
 (let ((?x88 (bvsub (_ bv3 64) (bvlshr q (_ bv6 64)))))
 (let (($x90 (= ?x88 (_ bv1 64))))
 (let (($x89 (= ?x88 (_ bv0 64))))
 (let ((?x100 (bvand (ite $x89 l2_0 (ite $x90 l2_1 (ite (= ?x88 (_ bv2 64)) l2_2 l2_3))) ?x96)))
 (let (($x103 (and (not (= q p)) (not (= ?x100 (_ bv0 64))))))
 (let ((?x65 (bvsub (_ bv3 64) (bvlshr p (_ bv6 64)))))
 (let (($x67 (= ?x65 (_ bv1 64))))
 (let (($x66 (= ?x65 (_ bv0 64))))
 (let ((?x76 (bvand (ite $x66 l2_0 (ite $x67 l2_1 (ite (= ?x65 (_ bv2 64)) l2_2 l2_3))) (bvnot (bvshl (_ bv1 64) (bvand p (_ bv63 64)))))))
 (let (($x91 (= ?x88 (_ bv2 64))))
 (let ((?x92 (ite $x91 (ite (= ?x65 (_ bv2 64)) ?x76 l2_2) (ite (= ?x65 (_ bv3 64)) ?x76 l2_3))))
 (let ((?x94 (ite $x89 (ite $x66 ?x76 l2_0) (ite $x90 (ite $x67 ?x76 l2_1) ?x92))))
 (let (($x99 (not (= (bvand ?x94 ?x96) (_ bv0 64)))))
 (let (($x108 (or (and $x99 $x103) (and (not $x99) (not $x103)))))
 (not $x108)))))))))))))))))
(check-sat)

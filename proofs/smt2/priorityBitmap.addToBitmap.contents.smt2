; obligation: priorityBitmap.addToBitmap.contents
; statement: after addToBitmap(p), a priority's bit is set exactly when it is p or was set before
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; priorityBitmap.addToBitmap.contents
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
 (let (($x0 (or (and (not (= (bvand l1 (_ bv8 64)) (_ bv0 64))) (not (= l2_0 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv8 64)) (_ bv0 64)))) (= l2_0 (_ bv0 64))))))
 (let (($x1 (or (and (not (= (bvand l1 (_ bv4 64)) (_ bv0 64))) (not (= l2_1 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv4 64)) (_ bv0 64)))) (= l2_1 (_ bv0 64))))))
 (let (($x2 (or (and (not (= (bvand l1 (_ bv2 64)) (_ bv0 64))) (not (= l2_2 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv2 64)) (_ bv0 64)))) (= l2_2 (_ bv0 64))))))
 (let (($x3 (or (and (not (= (bvand l1 (_ bv1 64)) (_ bv0 64))) (not (= l2_3 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv1 64)) (_ bv0 64)))) (= l2_3 (_ bv0 64))))))
 (and (and (and (and (= (bvlshr l1 (_ bv4 64)) (_ bv0 64)) $x3) $x2) $x1) $x0))))))
(assert
 (bvule p (_ bv255 64)))
(assert
 (bvule q (_ bv255 64)))
(assert
 (let ((?x4 (bvshl (_ bv1 64) (bvand q (_ bv63 64)))))
 (let ((?x5 (bvsub (_ bv3 64) (bvlshr q (_ bv6 64)))))
 (let (($x6 (= ?x5 (_ bv1 64))))
 (let (($x7 (= ?x5 (_ bv0 64))))
 (let ((?x8 (bvand (ite $x7 l2_0 (ite $x6 l2_1 (ite (= ?x5 (_ bv2 64)) l2_2 l2_3))) ?x4)))
 (let (($x9 (or (= q p) (not (= ?x8 (_ bv0 64))))))
 (let ((?x10 (bvsub (_ bv3 64) (bvlshr p (_ bv6 64)))))
 (let (($x11 (= ?x10 (_ bv1 64))))
 (let (($x12 (= ?x10 (_ bv0 64))))
 (let ((?x13 (bvor (ite $x12 l2_0 (ite $x11 l2_1 (ite (= ?x10 (_ bv2 64)) l2_2 l2_3))) (bvshl (_ bv1 64) (bvand p (_ bv63 64))))))
 (let (($x14 (= ?x5 (_ bv2 64))))
 (let ((?x15 (ite $x14 (ite (= ?x10 (_ bv2 64)) ?x13 l2_2) (ite (= ?x10 (_ bv3 64)) ?x13 l2_3))))
 (let ((?x16 (ite $x7 (ite $x12 ?x13 l2_0) (ite $x6 (ite $x11 ?x13 l2_1) ?x15))))
 (let (($x17 (not (= (bvand ?x16 ?x4) (_ bv0 64)))))
 (let (($x18 (or (and $x17 $x9) (and (not $x17) (not $x9)))))
 (not $x18)))))))))))))))))
(check-sat)

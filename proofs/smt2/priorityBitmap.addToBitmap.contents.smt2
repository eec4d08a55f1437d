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
 (let ((?x92 (bvshl (_ bv1 64) (bvand q (_ bv63 64)))))
 (let ((?x84 (bvsub (_ bv3 64) (bvlshr q (_ bv6 64)))))
 (let (($x86 (= ?x84 (_ bv1 64))))
 (let (($x85 (= ?x84 (_ bv0 64))))
 (let ((?x98 (bvand (ite $x85 l2_0 (ite $x86 l2_1 (ite (= ?x84 (_ bv2 64)) l2_2 l2_3))) ?x92)))
 (let (($x101 (or (= q p) (not (= ?x98 (_ bv0 64))))))
 (let ((?x65 (bvsub (_ bv3 64) (bvlshr p (_ bv6 64)))))
 (let (($x69 (= ?x65 (_ bv1 64))))
 (let (($x68 (= ?x65 (_ bv0 64))))
 (let ((?x77 (bvor (ite $x68 l2_0 (ite $x69 l2_1 (ite (= ?x65 (_ bv2 64)) l2_2 l2_3))) (bvshl (_ bv1 64) (bvand p (_ bv63 64))))))
 (let (($x87 (= ?x84 (_ bv2 64))))
 (let ((?x88 (ite $x87 (ite (= ?x65 (_ bv2 64)) ?x77 l2_2) (ite (= ?x65 (_ bv3 64)) ?x77 l2_3))))
 (let ((?x90 (ite $x85 (ite $x68 ?x77 l2_0) (ite $x86 (ite $x69 ?x77 l2_1) ?x88))))
 (let (($x95 (not (= (bvand ?x90 ?x92) (_ bv0 64)))))
 (let (($x106 (or (and $x95 $x101) (and (not $x95) (not $x101)))))
 (not $x106)))))))))))))))))
(check-sat)

; obligation: priorityBitmap.addToBitmap.wellFormed
; statement: addToBitmap keeps a bitmap well formed
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; priorityBitmap.addToBitmap.wellFormed
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun l2_0 () (_ BitVec 64))
(declare-fun l1 () (_ BitVec 64))
(declare-fun l2_1 () (_ BitVec 64))
(declare-fun l2_2 () (_ BitVec 64))
(declare-fun l2_3 () (_ BitVec 64))
(declare-fun p () (_ BitVec 64))
(assert
 (let (($x0 (or (and (not (= (bvand l1 (_ bv8 64)) (_ bv0 64))) (not (= l2_0 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv8 64)) (_ bv0 64)))) (= l2_0 (_ bv0 64))))))
 (let (($x1 (or (and (not (= (bvand l1 (_ bv4 64)) (_ bv0 64))) (not (= l2_1 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv4 64)) (_ bv0 64)))) (= l2_1 (_ bv0 64))))))
 (let (($x2 (or (and (not (= (bvand l1 (_ bv2 64)) (_ bv0 64))) (not (= l2_2 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv2 64)) (_ bv0 64)))) (= l2_2 (_ bv0 64))))))
 (let (($x3 (or (and (not (= (bvand l1 (_ bv1 64)) (_ bv0 64))) (not (= l2_3 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv1 64)) (_ bv0 64)))) (= l2_3 (_ bv0 64))))))
 (and (and (and (and (= (bvlshr l1 (_ bv4 64)) (_ bv0 64)) $x3) $x2) $x1) $x0))))))
(assert
 (bvule p (_ bv255 64)))
(assert
 (let ((?x4 (bvlshr p (_ bv6 64))))
 (let ((?x5 (bvsub (_ bv3 64) ?x4)))
 (let (($x6 (= ?x5 (_ bv1 64))))
 (let (($x7 (= ?x5 (_ bv0 64))))
 (let ((?x8 (bvor (ite $x7 l2_0 (ite $x6 l2_1 (ite (= ?x5 (_ bv2 64)) l2_2 l2_3))) (bvshl (_ bv1 64) (bvand p (_ bv63 64))))))
 (let (($x9 (= (ite $x7 ?x8 l2_0) (_ bv0 64))))
 (let (($x10 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv8 64)) (_ bv0 64)))) $x9)))
 (let (($x11 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv8 64)) (_ bv0 64)))))
 (let (($x12 (= (ite $x6 ?x8 l2_1) (_ bv0 64))))
 (let (($x13 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv4 64)) (_ bv0 64)))) $x12)))
 (let (($x14 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv4 64)) (_ bv0 64)))))
 (let (($x15 (= (ite (= ?x5 (_ bv2 64)) ?x8 l2_2) (_ bv0 64))))
 (let (($x16 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv2 64)) (_ bv0 64)))) $x15)))
 (let (($x17 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv2 64)) (_ bv0 64)))))
 (let (($x18 (= (ite (= ?x5 (_ bv3 64)) ?x8 l2_3) (_ bv0 64))))
 (let (($x19 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv1 64)) (_ bv0 64)))) $x18)))
 (let (($x20 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv1 64)) (_ bv0 64)))))
 (let (($x21 (and (= (bvlshr (bvor l1 (bvshl (_ bv1 64) ?x4)) (_ bv4 64)) (_ bv0 64)) (or (and $x20 (not $x18)) $x19))))
 (let (($x22 (and (and $x21 (or (and $x17 (not $x15)) $x16)) (or (and $x14 (not $x12)) $x13))))
 (let (($x23 (and $x22 (or (and $x11 (not $x9)) $x10))))
 (not $x23))))))))))))))))))))))
(check-sat)

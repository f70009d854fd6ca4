"""What the dataset is, in the words the front page and the catalog share: two kinds of agreement
under two different instruments. A 連携協約 (地方自治法第252条の2第1項) forms a 連携中枢都市圏; a
定住自立圏形成協定 is concluded under 総務省's 定住自立圏構想推進要綱 (not under the Act's 第252条の2)
and forms a 定住自立圏. Written once here, so that no page calls a 定住自立圏形成協定 a 連携協約."""

from __future__ import annotations

KINDS_JA = ("連携中枢都市圏を形成する連携協約（地方自治法第252条の2第1項）と、"
            "定住自立圏を形成する定住自立圏形成協定（定住自立圏構想推進要綱）")
KINDS_EN = ("the 連携協約 that form a partnership core city area (連携中枢都市圏), concluded under Article 252-2, "
            "paragraph 1 of the Local Autonomy Act, and the 定住自立圏形成協定 that form an independent settlement "
            "area (定住自立圏), concluded under the national outline for independent settlement areas "
            "(定住自立圏構想推進要綱), not under the Act's Article 252-2")

//! The registration form as a workbook's layout, derived from the submission schema: which
//! sheet holds which field, in which row or column, under which header, with which unit,
//! labels and cell type. The template (`crate::template`) writes it; a workbook reader reads
//! by it. Nothing here is a hand-kept copy of the schema: a field added to the schema gets its
//! row or column, a label added to an enum gets into the drop-down.
//!
//! Two kinds of sheet: a **fields** sheet (基本信息, 运营信息) has one row per scalar field,
//! label / value / unit / field / description, in the schema's order (the form's); a **table**
//! sheet (入驻企业名录, 楼栋, 分层, 附件, 隐患, 事故, …) has one row per item of a list of
//! objects and one column per field of the item (nested objects flattened: `contact.mobile`).
//! A list of objects inside an item (a building's floors) gets its own sheet whose first
//! column names the item it belongs to (楼栋编号). A list of strings is one cell, its items
//! separated by `、`.

use std::collections::HashMap;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

/// The sheet of instructions the template begins with (no data).
pub const GUIDE_SHEET: &str = "填表说明";

/// The hidden sheet of drop-down lists too long to be written inline (no data).
pub const LISTS_SHEET: &str = "选项";

/// The header row of a fields sheet: label, value, unit, field path, description.
pub const FIELDS_HEADERS: [&str; 5] = ["项目", "填写内容", "单位", "字段", "说明"];

/// The separator of a list of strings in one cell.
pub const LIST_SEPARATOR: &str = "、";

/// An empty list (`accidents_last_12m: []`) in a workbook: this word, the form's "none", alone
/// in a list cell, or in the first column of a table's row (after the parent's column for a
/// list inside an item) with the rest of the row blank. A table without rows, or a blank list
/// cell, is a list not given.
pub const EMPTY_LIST: &str = "无";

/// The sheets of the top-level sections, in the form's order: sections before the first list
/// go on 基本信息, the operator's and later ones on 运营信息.
const OPERATION_SECTIONS: &[&str] = &[
    "operator",
    "safety",
    "reporting",
    "totals",
    "star_application",
    "declaration",
];

/// The columns of the tenant list that the registration form has, in its order; the other
/// fields follow in the schema's order.
const TENANT_FORM_COLUMNS: &[&str] = &[
    "name",
    "uscc",
    "sector",
    "entered_on",
    "status",
    "legal_representative",
    "contact.name",
    "contact.mobile",
];

/// Sheet names of lists whose item title is not the form's word for the sheet.
const TABLE_NAMES: &[(&str, &str)] = &[
    ("tenants", "入驻企业名录"),
    ("buildings.list", "楼栋"),
    ("buildings.list.*.floors_detail", "分层"),
    ("buildings.list.*.freight_lifts", "货梯"),
    ("attachments", "附件"),
    ("safety.hazards", "隐患"),
    ("safety.accidents_last_12m", "事故"),
];

/// What a cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellType {
    /// Free text, a code, a phone number: a text cell (`@`), so Excel keeps leading zeros and
    /// all 18 characters of a credit code.
    Text,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// 是 / 否.
    Boolean,
    /// Several strings in one cell, separated by [`LIST_SEPARATOR`].
    List,
}

/// One field: a row of a fields sheet or a column of a table.
#[derive(Debug, Clone)]
pub struct Field {
    /// The field's path from the document (fields sheet) or from the item (table), dotted:
    /// `park.region.county`, `contact.mobile`.
    pub path: String,
    /// The schema's title (the form's label).
    pub title: String,
    /// The titles of the objects the field is in, outermost first (`园区基本情况 · 所在地区`);
    /// empty for a top-level scalar and for a column of a table's item.
    pub group: Vec<String>,
    /// The schema's description (both languages).
    pub description: String,
    /// The unit, from the description's `单位：…`.
    pub unit: Option<String>,
    pub cell: CellType,
    /// The labels a value may take (the enum, or those of a list's items); empty when free.
    pub labels: Vec<String>,
    /// A value fixed by the schema (`format: parkcheck/v1`, `statement: true`).
    pub constant: Option<Json>,
    /// Required for the kind of submission the layout is for.
    pub required: bool,
    /// The note of the form's instructions the labels come from.
    pub form_note: Option<u64>,
}

impl Field {
    /// Whether the field holds a code (a credit code, a phone number, a postcode, an area
    /// code): text that Excel's number formats destroy, and whose full-width digits a reader
    /// takes as half-width.
    #[must_use]
    pub fn is_code(&self) -> bool {
        let last = self.path.rsplit('.').next().unwrap_or(&self.path);
        ["uscc", "mobile", "phone", "postcode", "code", "tel", "fax"]
            .iter()
            .any(|k| last.contains(k))
    }
}

/// What a sheet is.
#[derive(Debug, Clone)]
pub enum SheetKind {
    /// Label / value / unit rows.
    Fields,
    /// One row per item of the list at `path` (dotted, `*` for an item of an enclosing list).
    Table {
        path: String,
        /// For a list inside an item of another list: the enclosing list's sheet and the
        /// field of its items that names them (the first column of this sheet).
        parent: Option<Box<(String, Field)>>,
    },
}

/// A sheet of the workbook.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// The schema's description of the list (for a table) or of the sheet.
    pub description: String,
    pub kind: SheetKind,
    pub fields: Vec<Field>,
}

/// The workbook's layout for one kind of submission.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The format version (`parkcheck/v1`).
    pub format: String,
    pub kind: String,
    pub sheets: Vec<Sheet>,
}

/// Derives the layout from the submission schema for `kind` (`filing`, `annual`, `star`): the
/// kind decides which sections are required (the schema's `allOf` conditions on `kind`).
///
/// `schema_text` is the schema's text: `serde_json` keeps an object's keys sorted, and the
/// layout follows the schema's (the form's) order, which is read from the text.
pub fn layout(schema_text: &str, kind: &str) -> Result<Layout, String> {
    let schema: Json = serde_json::from_str(schema_text).map_err(|e| e.to_string())?;
    let ordered: Ordered = serde_json::from_str(schema_text).map_err(|e| e.to_string())?;
    let mut order = HashMap::new();
    ordered.key_orders(&mut order);
    Ok(layout_of(&schema, &order, kind))
}

fn layout_of(schema: &Json, order: &KeyOrders, kind: &str) -> Layout {
    let defs = schema.get("$defs").and_then(Json::as_object);
    let walker = Walker {
        defs,
        conditional: conditional_required(schema, kind),
        order,
    };
    let mut basic = Vec::new();
    let mut operation = Vec::new();
    let mut tables = Vec::new();
    let root = walker.resolve(schema);
    let required = required_of(&root);
    if let Some(properties) = root.get("properties").and_then(Json::as_object) {
        // `$schema` (for editors) is a field like any other, so a workbook holds every field of
        // a submission; it goes last, after the declaration, not before the park's name.
        let mut ordered = walker.ordered(properties);
        ordered.sort_by_key(|(key, _)| key.as_str() == "$schema");
        for (key, node) in ordered {
            let target = if key == "$schema" || OPERATION_SECTIONS.contains(&key.as_str()) {
                &mut operation
            } else {
                &mut basic
            };
            walker.collect(
                key,
                node,
                required.contains(&key.as_str()),
                target,
                &mut tables,
                (None, &[]),
            );
        }
    }
    let format = root
        .pointer("/properties/format/const")
        .and_then(Json::as_str)
        .unwrap_or("parkcheck/v1")
        .to_owned();
    let mut sheets = vec![
        Sheet {
            name: "基本信息".into(),
            description: "园区基本情况、土地、投资、建筑与配套 / The park, its land, investment, buildings and facilities".into(),
            kind: SheetKind::Fields,
            fields: basic,
        },
        Sheet {
            name: "运营信息".into(),
            description: "运营管理机构、安全生产、数据报送、汇总数据、星级申报与真实性声明 / The operator, safety, reporting, totals, the star application and the declaration".into(),
            kind: SheetKind::Fields,
            fields: operation,
        },
    ];
    // The tenant list first among the tables, as on the form.
    tables.sort_by_key(
        |t: &Sheet| !matches!(&t.kind, SheetKind::Table { path, .. } if path == "tenants"),
    );
    sheets.extend(tables);
    Layout {
        format,
        kind: kind.to_owned(),
        sheets,
    }
}

impl Layout {
    /// The sheet named `name`.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// The table sheet of the list at dotted `path` (`tenants`: 入驻企业名录).
    pub fn table(&self, path: &str) -> Option<&Sheet> {
        self.sheets
            .iter()
            .find(|s| matches!(&s.kind, SheetKind::Table { path: p, .. } if p == path))
    }
}

/// A column header reduced to the field's title: the template writes `企业名称 *` for a
/// required field and `营业收入（万元）` for one with a unit; an operator may drop either, and
/// spaces around it (ASCII or full-width) do not count.
#[must_use]
pub fn header_title(header: &str) -> &str {
    let trimmed = header.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let without_unit = match trimmed.strip_suffix('）').and_then(|t| t.rsplit_once('（')) {
        Some((title, _)) => title,
        None => trimmed,
    };
    let without_unit = without_unit.trim_end();
    without_unit
        .strip_suffix('*')
        .unwrap_or(without_unit)
        .trim_end()
}

impl Sheet {
    /// The field a column header names: its title (as [`header_title`] reduces it) or its path
    /// (`contact.mobile`).
    #[must_use]
    pub fn column(&self, header: &str) -> Option<&Field> {
        let title = header_title(header);
        self.fields
            .iter()
            .find(|f| f.title == title)
            .or_else(|| self.fields.iter().find(|f| f.path == title))
    }
}

/// The keys of every object of the schema's text in their order, by the sorted set of keys.
type KeyOrders = HashMap<Vec<String>, Vec<String>>;

/// A JSON value that keeps its objects' keys in order (only to learn that order).
enum Ordered {
    Leaf,
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    fn key_orders(&self, out: &mut KeyOrders) {
        match self {
            Self::Leaf => {}
            Self::Array(items) => items.iter().for_each(|i| i.key_orders(out)),
            Self::Object(entries) => {
                let keys: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
                let mut sorted = keys.clone();
                sorted.sort();
                out.entry(sorted).or_insert(keys);
                entries.iter().for_each(|(_, v)| v.key_orders(out));
            }
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Ordered>()? {
                    entries.push((k, v));
                }
                Ok(Ordered::Object(entries))
            }
        }
        deserializer.deserialize_any(V)
    }
}

struct Walker<'a> {
    order: &'a KeyOrders,
    defs: Option<&'a Map<String, Json>>,
    /// Dotted paths made required by the conditions that hold for the kind.
    conditional: Vec<String>,
}

impl<'a> Walker<'a> {
    /// The properties in the schema text's order.
    fn ordered<'m>(&self, properties: &'m Map<String, Json>) -> Vec<(&'m String, &'m Json)> {
        let sorted: Vec<String> = properties.keys().cloned().collect();
        match self.order.get(&sorted) {
            Some(keys) => keys
                .iter()
                .filter_map(|k| properties.get_key_value(k))
                .collect(),
            None => properties.iter().collect(),
        }
    }

    /// The node with its `$ref` merged in (the node's own keywords win).
    fn resolve(&self, node: &Json) -> Json {
        let Some(object) = node.as_object() else {
            return node.clone();
        };
        let Some(target) = object
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| self.defs.and_then(|d| d.get(name)))
        else {
            return node.clone();
        };
        let mut merged = self
            .resolve(target)
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (k, v) in object {
            if k != "$ref" {
                merged.insert(k.clone(), v.clone());
            }
        }
        Json::Object(merged)
    }

    fn is_required(&self, path: &str, by_parent: bool) -> bool {
        by_parent || self.conditional.iter().any(|p| p == path)
    }

    /// Adds the fields under `node` (at dotted `path`) to `fields`, and a table sheet for each
    /// list of objects. `row` is the table path when walking the fields of a list's item (the
    /// paths are then relative to the item).
    fn collect(
        &self,
        path: &str,
        node: &Json,
        required: bool,
        fields: &mut Vec<Field>,
        tables: &mut Vec<Sheet>,
        (row, group): (Option<&str>, &[String]),
    ) {
        let node = self.resolve(node);
        let absolute = row.map_or_else(|| path.to_owned(), |r| format!("{r}.*.{path}"));
        let required = self.is_required(&absolute, required);
        match node_type(&node) {
            "object" => {
                let inner = required_of(&node);
                let mut group = group.to_vec();
                group.push(text_of(&node, "title"));
                if let Some(properties) = node.get("properties").and_then(Json::as_object) {
                    for (key, child) in self.ordered(properties) {
                        let child_path = format!("{path}.{key}");
                        // A field of an optional section is required only once the section is
                        // given; the template marks the field when its section is required.
                        self.collect(
                            &child_path,
                            child,
                            required && inner.contains(&key.as_str()),
                            fields,
                            tables,
                            (row, &group),
                        );
                    }
                }
            }
            "array" => {
                let items = node
                    .get("items")
                    .map(|i| self.resolve(i))
                    .unwrap_or_default();
                if node_type(&items) == "object" {
                    tables.push(self.table(&absolute, &node, &items, None));
                    // Nested lists of the table's items.
                    self.nested_tables(&absolute, &items, tables);
                } else {
                    let mut field = self.field(path, &node, required);
                    field.group = group.to_vec();
                    field.cell = CellType::List;
                    field.labels = labels(&items);
                    fields.push(field);
                }
            }
            _ => {
                let mut field = self.field(path, &node, required);
                field.group = group.to_vec();
                fields.push(field);
            }
        }
    }

    /// A table sheet for the list at `path` of items `items`.
    fn table(
        &self,
        path: &str,
        list: &Json,
        items: &Json,
        parent_fields: Option<&mut Vec<Field>>,
    ) -> Sheet {
        let mut fields = Vec::new();
        let mut ignored = Vec::new();
        let inner = required_of(items);
        if let Some(properties) = items.get("properties").and_then(Json::as_object) {
            for (key, child) in self.ordered(properties) {
                self.collect(
                    key,
                    child,
                    inner.contains(&key.as_str()),
                    &mut fields,
                    &mut ignored,
                    (Some(path), &[]),
                );
            }
        }
        if path == "tenants" {
            let rank = |f: &Field| {
                TENANT_FORM_COLUMNS
                    .iter()
                    .position(|c| *c == f.path)
                    .unwrap_or(TENANT_FORM_COLUMNS.len())
            };
            fields.sort_by_key(rank);
        }
        // A list inside an item: its sheet's first column names the enclosing item.
        let parent = path.rsplit_once(".*.").map(|(outer, _)| {
            let outer_name = table_name(outer, None);
            let key = parent_fields
                .and_then(|f| f.iter().find(|f| f.cell == CellType::Text).cloned())
                .unwrap_or_else(|| Field {
                    path: "id".into(),
                    title: "编号".into(),
                    group: Vec::new(),
                    description: String::new(),
                    unit: None,
                    cell: CellType::Text,
                    labels: Vec::new(),
                    constant: None,
                    required: true,
                    form_note: None,
                });
            (
                outer_name,
                Field {
                    required: true,
                    ..key
                },
            )
        });
        Sheet {
            name: table_name(path, items.get("title").and_then(Json::as_str)),
            description: text_of(list, "description"),
            kind: SheetKind::Table {
                path: path.to_owned(),
                parent: parent.map(Box::new),
            },
            fields,
        }
    }

    /// The tables of lists of objects inside the items of the list at `path`.
    fn nested_tables(&self, path: &str, items: &Json, tables: &mut Vec<Sheet>) {
        let Some(properties) = items.get("properties").and_then(Json::as_object) else {
            return;
        };
        let item_fields: Vec<Field> = self
            .ordered(properties)
            .into_iter()
            .filter_map(|(key, child)| {
                let child = self.resolve(child);
                (node_type(&child) == "string")
                    .then(|| self.field(key, &child, required_of(items).contains(&key.as_str())))
            })
            .collect();
        for (key, child) in self.ordered(properties) {
            let child = self.resolve(child);
            if node_type(&child) != "array" {
                continue;
            }
            let inner = child
                .get("items")
                .map(|i| self.resolve(i))
                .unwrap_or_default();
            if node_type(&inner) == "object" {
                let nested = format!("{path}.*.{key}");
                let mut parent_fields = item_fields.clone();
                tables.push(self.table(&nested, &child, &inner, Some(&mut parent_fields)));
                self.nested_tables(&nested, &inner, tables);
            }
        }
    }

    fn field(&self, path: &str, node: &Json, required: bool) -> Field {
        let description = text_of(node, "description");
        let constant = node.get("const").cloned();
        let cell = match node_type(node) {
            "integer" => CellType::Integer,
            "number" => CellType::Number,
            "boolean" => CellType::Boolean,
            "string" if node.get("format").and_then(Json::as_str) == Some("date") => CellType::Date,
            _ => CellType::Text,
        };
        Field {
            path: path.to_owned(),
            title: node.get("title").and_then(Json::as_str).map_or_else(
                || path.rsplit('.').next().unwrap_or(path).to_owned(),
                str::to_owned,
            ),
            group: Vec::new(),
            unit: unit_of(&description),
            description,
            cell,
            labels: labels(node),
            constant,
            required,
            form_note: node.get("x-form-note").and_then(Json::as_u64),
        }
    }
}

/// The JSON type of a node (`const` tells it when `type` is absent).
fn node_type(node: &Json) -> &'static str {
    let declared = match node.get("type") {
        Some(Json::String(t)) => Some(t.as_str()),
        Some(Json::Array(types)) => types.iter().filter_map(Json::as_str).find(|t| *t != "null"),
        _ => None,
    };
    match declared.or_else(|| {
        node.get("const").map(|c| match c {
            Json::Bool(_) => "boolean",
            Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Json::Number(_) => "number",
            _ => "string",
        })
    }) {
        Some("object") => "object",
        Some("array") => "array",
        Some("integer") => "integer",
        Some("number") => "number",
        Some("boolean") => "boolean",
        _ => "string",
    }
}

fn required_of(node: &Json) -> Vec<&str> {
    let direct = node
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten();
    // `allOf` entries without a condition (the declaration's) require as plainly.
    let unconditional = node
        .get("allOf")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter(|a| a.get("if").is_none())
        .filter_map(|a| a.get("required").and_then(Json::as_array))
        .flatten();
    direct
        .chain(unconditional)
        .filter_map(Json::as_str)
        .collect()
}

/// The dotted paths the schema's conditions on `kind` make required for this kind.
fn conditional_required(schema: &Json, kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    for condition in schema
        .get("allOf")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let Some(on_kind) = condition.pointer("/if/properties/kind") else {
            continue;
        };
        let holds = on_kind.get("const").and_then(Json::as_str) == Some(kind)
            || on_kind
                .get("enum")
                .and_then(Json::as_array)
                .is_some_and(|e| e.iter().any(|k| k.as_str() == Some(kind)));
        if let (true, Some(then)) = (holds, condition.get("then")) {
            required_paths("", then, &mut out);
        }
    }
    out
}

fn required_paths(prefix: &str, node: &Json, out: &mut Vec<String>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    for key in node
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
    {
        out.push(join(key));
    }
    if let Some(properties) = node.get("properties").and_then(Json::as_object) {
        for (key, child) in properties {
            required_paths(&join(key), child, out);
        }
    }
}

fn labels(node: &Json) -> Vec<String> {
    node.get("enum")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn text_of(node: &Json, key: &str) -> String {
    node.get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The unit a description names: `单位：万元，…` gives 万元.
pub fn unit_of(description: &str) -> Option<String> {
    let rest = description.split_once("单位：")?.1;
    let end = rest
        .find(['，', '；', '（', '(', ' ', '/', '、', '。'])
        .unwrap_or(rest.len());
    let unit = rest.get(..end)?.trim();
    (!unit.is_empty()).then(|| unit.to_owned())
}

/// The sheet name of the list at dotted `path`.
fn table_name(path: &str, item_title: Option<&str>) -> String {
    TABLE_NAMES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, n)| (*n).to_owned())
        .or_else(|| item_title.map(str::to_owned))
        .unwrap_or_else(|| path.replace(".*.", "-"))
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn layout_for(kind: &str) -> Layout {
        layout(include_str!("../schemas/submission.v1.schema.json"), kind).unwrap()
    }

    #[test]
    fn headers_are_matched_by_title_or_path() {
        assert_eq!(header_title(" 企业名称 * "), "企业名称");
        assert_eq!(header_title("营业收入（万元）"), "营业收入");
        assert_eq!(header_title("营业收入 *（万元）"), "营业收入");
        let layout = layout_for("filing");
        let tenants = layout.table("tenants").unwrap();
        assert_eq!(tenants.column("企业名称 *").unwrap().path, "name");
        assert_eq!(
            tenants.column("contact.mobile").unwrap().path,
            "contact.mobile"
        );
        assert!(tenants.column("企业名").is_none());
    }

    #[test]
    fn units_come_from_the_description() {
        assert_eq!(unit_of("金额，单位：万元，非负").as_deref(), Some("万元"));
        assert_eq!(unit_of("经度，单位：度（东经为正）").as_deref(), Some("度"));
        assert_eq!(unit_of("没有单位"), None);
    }

    #[test]
    fn tenants_start_with_the_form_columns_and_the_kind_decides_requirements() {
        let filing = layout_for("filing");
        let names: Vec<&str> = filing.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names.get(..3),
            Some(&["基本信息", "运营信息", "入驻企业名录"][..])
        );
        for expected in ["楼栋", "分层", "货梯", "附件", "隐患", "事故"] {
            assert!(names.contains(&expected), "{names:?}");
        }
        let tenants = filing.sheet("入驻企业名录").unwrap();
        let paths: Vec<&str> = tenants.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.get(..8), Some(TENANT_FORM_COLUMNS));
        let floors = filing.sheet("分层").unwrap();
        assert!(
            matches!(&floors.kind, SheetKind::Table { parent: Some(parent), .. } if parent.0 == "楼栋" && parent.1.path == "id")
        );
        let safety_in = |layout: &Layout| {
            layout
                .sheet("运营信息")
                .unwrap()
                .fields
                .iter()
                .find(|f| f.path == "safety.drills_last_12m")
                .is_some()
        };
        assert!(safety_in(&filing));
        let platform = |layout: &Layout| {
            layout
                .sheet("基本信息")
                .unwrap()
                .fields
                .iter()
                .find(|f| f.path == "park.filing.platform_id")
                .unwrap()
                .required
        };
        assert!(!platform(&filing));
        assert!(platform(&layout_for("annual")));
    }
}

export * from "./crm-core.schema";
